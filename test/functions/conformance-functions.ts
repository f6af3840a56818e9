/**
 * One function per language, each answering the same paths the same way: the conformance suite
 * (runtimes.test.ts) runs every runtime through them and expects identical answers.
 *
 * /echo     what the request was (method, path, query, URL parts, body, headers, environment)
 * /binary   the body's bytes reversed, as binary
 * /api      the function's own model, read from the Plinth API with the injected key
 * /read     a folder's entries, or the failure to list it (the sandbox hides the host)
 * /redirect /empty /throw /none /sleep   the other answers and failures
 */

/** JavaScript as Node.js (an ES module), Bun and Deno all load it; node:http works in all three. */
export const JS_CONFORMANCE = `
import { request } from 'node:http';
import { readdirSync } from 'node:fs';
import process from 'node:process';

function getJson(url, headers) {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { headers }, (incoming) => {
      let text = '';
      incoming.setEncoding('utf8');
      incoming.on('data', (chunk) => (text += chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode, body: JSON.parse(text) }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

export default async ({ req, res, log, error }) => {
  log('path ' + req.path);
  console.log('console says', { n: 1 });
  console.error('console complains');
  switch (req.path) {
    case '/echo':
      return res.json({
        method: req.method,
        path: req.path,
        query: req.query,
        queryString: req.queryString,
        scheme: req.scheme,
        host: req.host,
        port: req.port,
        url: req.url,
        bodyText: req.bodyText,
        body: req.headers['content-type'] === 'application/json' ? req.bodyJson : req.body,
        custom: req.headers['x-custom'] ?? null,
        trigger: req.headers['x-appwrite-trigger'],
        hasKey: typeof req.headers['x-appwrite-key'] === 'string' && req.headers['x-appwrite-key'].length > 0,
        secretHidden: !Object.keys(req.headers).some((name) => name.startsWith('x-open-runtimes-')),
        env: { id: process.env.APPWRITE_FUNCTION_ID, project: process.env.APPWRITE_FUNCTION_PROJECT_ID, deployment: process.env.APPWRITE_FUNCTION_DEPLOYMENT },
      }, 201, { 'X-Echo': 'yes' });
    case '/binary':
      return res.binary(Uint8Array.from(req.bodyBinary).reverse());
    case '/api': {
      const endpoint = process.env.APPWRITE_FUNCTION_API_ENDPOINT;
      const answer = await getJson(endpoint + '/functions/' + process.env.APPWRITE_FUNCTION_ID, {
        'x-appwrite-project': process.env.APPWRITE_FUNCTION_PROJECT_ID,
        'x-appwrite-key': req.headers['x-appwrite-key'],
      });
      return res.json({ status: answer.status, name: answer.body.name, asked: req.bodyJson.ask });
    }
    case '/read':
      try {
        return res.json({ entries: readdirSync(req.query.dir) });
      } catch (failure) {
        return res.json({ failure: failure.code });
      }
    case '/redirect':
      return res.redirect('https://example.com/elsewhere', 302);
    case '/empty':
      return res.empty();
    case '/throw':
      throw new Error('thrown on purpose');
    case '/none':
      return;
    case '/sleep':
      await new Promise((resolve) => setTimeout(resolve, 10000));
      return res.text('too late');
    default:
      error('unknown path ' + req.path);
      return res.text('Not found', 404);
  }
};
`;

/** The same function in Python, as Appwrite's Python starter is written. */
export const PYTHON_CONFORMANCE = `
import json
import os
import sys
import time
import urllib.request


def main(context):
    req = context.req
    context.log("path " + req.path)
    print("console says", json.dumps({"n": 1}, separators=(",", ":")))
    print("console complains", file=sys.stderr)
    if req.path == "/echo":
        return context.res.json({
            "method": req.method,
            "path": req.path,
            "query": req.query,
            "queryString": req.query_string,
            "scheme": req.scheme,
            "host": req.host,
            "port": req.port,
            "url": req.url,
            "bodyText": req.body_text,
            "body": req.body_json if req.headers.get("content-type") == "application/json" else req.body,
            "custom": req.headers.get("x-custom"),
            "trigger": req.headers.get("x-appwrite-trigger"),
            "hasKey": bool(req.headers.get("x-appwrite-key")),
            "secretHidden": not any(name.startswith("x-open-runtimes-") for name in req.headers),
            "env": {"id": os.environ.get("APPWRITE_FUNCTION_ID"), "project": os.environ.get("APPWRITE_FUNCTION_PROJECT_ID"), "deployment": os.environ.get("APPWRITE_FUNCTION_DEPLOYMENT")},
        }, 201, {"X-Echo": "yes"})
    if req.path == "/binary":
        return context.res.binary(bytes(reversed(req.body_binary)))
    if req.path == "/api":
        endpoint = os.environ["APPWRITE_FUNCTION_API_ENDPOINT"]
        outgoing = urllib.request.Request(endpoint + "/functions/" + os.environ["APPWRITE_FUNCTION_ID"], headers={
            "x-appwrite-project": os.environ["APPWRITE_FUNCTION_PROJECT_ID"],
            "x-appwrite-key": req.headers["x-appwrite-key"],
        })
        with urllib.request.urlopen(outgoing) as answer:
            model = json.loads(answer.read())
            return context.res.json({"status": answer.status, "name": model["name"], "asked": req.body_json["ask"]})
    if req.path == "/read":
        try:
            return context.res.json({"entries": os.listdir(req.query["dir"])})
        except OSError as failure:
            return context.res.json({"failure": "ENOENT" if isinstance(failure, FileNotFoundError) else type(failure).__name__})
    if req.path == "/redirect":
        return context.res.redirect("https://example.com/elsewhere", 302)
    if req.path == "/empty":
        return context.res.empty()
    if req.path == "/throw":
        raise Exception("thrown on purpose")
    if req.path == "/none":
        return None
    if req.path == "/sleep":
        time.sleep(10)
        return context.res.text("too late")
    if req.path == "/ml":
        frame = pandas.DataFrame({"x": [1.0, 2.0, 3.0], "y": [2.0, 4.0, 6.0]})
        model = LinearRegression().fit(frame[["x"]], frame["y"])
        return context.res.json({"mean": float(numpy.mean(frame["y"])), "slope": round(float(model.coef_[0]), 6)})
    context.error("unknown path " + req.path)
    return context.res.text("Not found", 404)
`;

/** The Python function with the scientific stack imported as the module loads (before any execution's clock starts). */
export const PYTHON_ML_CONFORMANCE = `
import numpy
import pandas
from sklearn.linear_model import LinearRegression
${PYTHON_CONFORMANCE}`;
