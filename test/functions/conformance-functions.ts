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

/** The same function in PHP: the entrypoint returns a closure, as Appwrite's PHP starter does. */
export const PHP_CONFORMANCE = `<?php

return function ($context) {
    $req = $context->req;
    $context->log('path ' . $req->path);
    echo 'console says ' . json_encode(['n' => 1]) . "\\n";
    error_log('console complains');
    switch ($req->path) {
        case '/echo':
            return $context->res->json([
                'method' => $req->method,
                'path' => $req->path,
                'query' => $req->query,
                'queryString' => $req->queryString,
                'scheme' => $req->scheme,
                'host' => $req->host,
                'port' => $req->port,
                'url' => $req->url,
                'bodyText' => $req->bodyText,
                'body' => ($req->headers['content-type'] ?? '') === 'application/json' ? $req->bodyJson : $req->body,
                'custom' => $req->headers['x-custom'] ?? null,
                'trigger' => $req->headers['x-appwrite-trigger'] ?? null,
                'hasKey' => ($req->headers['x-appwrite-key'] ?? '') !== '',
                'secretHidden' => count(array_filter(array_keys($req->headers), fn ($name) => str_starts_with($name, 'x-open-runtimes-'))) === 0,
                'env' => ['id' => getenv('APPWRITE_FUNCTION_ID'), 'project' => getenv('APPWRITE_FUNCTION_PROJECT_ID'), 'deployment' => getenv('APPWRITE_FUNCTION_DEPLOYMENT')],
            ], 201, ['X-Echo' => 'yes']);
        case '/binary':
            return $context->res->binary(strrev($req->bodyBinary));
        case '/api':
            $url = getenv('APPWRITE_FUNCTION_API_ENDPOINT') . '/functions/' . getenv('APPWRITE_FUNCTION_ID');
            $http = stream_context_create(['http' => ['ignore_errors' => true, 'header' => [
                'x-appwrite-project: ' . getenv('APPWRITE_FUNCTION_PROJECT_ID'),
                'x-appwrite-key: ' . $req->headers['x-appwrite-key'],
            ]]]);
            $model = json_decode(file_get_contents($url, false, $http), true);
            $status = (int) explode(' ', $http_response_header[0])[1];
            return $context->res->json(['status' => $status, 'name' => $model['name'], 'asked' => $req->bodyJson['ask']]);
        case '/read':
            $entries = @scandir($req->query['dir']);
            return $context->res->json($entries === false ? ['failure' => 'ENOENT'] : ['entries' => array_values(array_diff($entries, ['.', '..']))]);
        case '/redirect':
            return $context->res->redirect('https://example.com/elsewhere', 302);
        case '/empty':
            return $context->res->empty();
        case '/throw':
            throw new Exception('thrown on purpose');
        case '/none':
            return null;
        case '/sleep':
            sleep(10);
            return $context->res->text('too late');
        default:
            $context->error('unknown path ' . $req->path);
            return $context->res->text('Not found', 404);
    }
};
`;

/** The same function in Ruby, as Appwrite's Ruby starter is written. */
export const RUBY_CONFORMANCE = `
require 'json'
require 'net/http'

def main(context)
  req = context.req
  context.log("path #{req.path}")
  puts "console says #{JSON.generate({ n: 1 })}"
  warn 'console complains'
  case req.path
  when '/echo'
    context.res.json({
      method: req.method,
      path: req.path,
      query: req.query,
      queryString: req.query_string,
      scheme: req.scheme,
      host: req.host,
      port: req.port,
      url: req.url,
      bodyText: req.body_text,
      body: req.headers['content-type'] == 'application/json' ? req.body_json : req.body,
      custom: req.headers['x-custom'],
      trigger: req.headers['x-appwrite-trigger'],
      hasKey: !req.headers['x-appwrite-key'].to_s.empty?,
      secretHidden: req.headers.keys.none? { |name| name.start_with?('x-open-runtimes-') },
      env: { id: ENV['APPWRITE_FUNCTION_ID'], project: ENV['APPWRITE_FUNCTION_PROJECT_ID'], deployment: ENV['APPWRITE_FUNCTION_DEPLOYMENT'] }
    }, 201, { 'X-Echo' => 'yes' })
  when '/binary'
    context.res.binary(req.body_binary.reverse)
  when '/api'
    uri = URI("#{ENV['APPWRITE_FUNCTION_API_ENDPOINT']}/functions/#{ENV['APPWRITE_FUNCTION_ID']}")
    answer = Net::HTTP.get_response(uri, { 'x-appwrite-project' => ENV['APPWRITE_FUNCTION_PROJECT_ID'], 'x-appwrite-key' => req.headers['x-appwrite-key'] })
    context.res.json({ status: answer.code.to_i, name: JSON.parse(answer.body)['name'], asked: req.body_json['ask'] })
  when '/read'
    begin
      context.res.json({ entries: Dir.children(req.query['dir']) })
    rescue Errno::ENOENT
      context.res.json({ failure: 'ENOENT' })
    end
  when '/redirect'
    context.res.redirect('https://example.com/elsewhere', 302)
  when '/empty'
    context.res.empty
  when '/throw'
    raise 'thrown on purpose'
  when '/none'
    nil
  when '/sleep'
    sleep 10
    context.res.text('too late')
  else
    context.error("unknown path #{req.path}")
    context.res.text('Not found', 404)
  end
end
`;

/** The same function in Go: a package whose Main is compiled with the runtime's server at build. */
export const GO_CONFORMANCE = `package handler

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/open-runtimes/types-for-go/v4/openruntimes"
)

func Main(Context openruntimes.Context) openruntimes.Response {
	req := Context.Req
	Context.Log("path " + req.Path)
	fmt.Println(\`console says {"n":1}\`)
	fmt.Fprintln(os.Stderr, "console complains")
	switch req.Path {
	case "/echo":
		var body any = req.Body()
		if req.Headers["content-type"] == "application/json" {
			body, _ = req.BodyJson()
		}
		secretHidden := true
		for name := range req.Headers {
			secretHidden = secretHidden && !strings.HasPrefix(name, "x-open-runtimes-")
		}
		custom, hasCustom := req.Headers["x-custom"]
		return Context.Res.Json(map[string]any{
			"method":       req.Method,
			"path":         req.Path,
			"query":        req.Query,
			"queryString":  req.QueryString,
			"scheme":       req.Scheme,
			"host":         req.Host,
			"port":         req.Port,
			"url":          req.Url,
			"bodyText":     req.BodyText(),
			"body":         body,
			"custom":       map[bool]any{true: custom, false: nil}[hasCustom],
			"trigger":      req.Headers["x-appwrite-trigger"],
			"hasKey":       req.Headers["x-appwrite-key"] != "",
			"secretHidden": secretHidden,
			"env":          map[string]string{"id": os.Getenv("APPWRITE_FUNCTION_ID"), "project": os.Getenv("APPWRITE_FUNCTION_PROJECT_ID"), "deployment": os.Getenv("APPWRITE_FUNCTION_DEPLOYMENT")},
		}, Context.Res.WithStatusCode(201), Context.Res.WithHeaders(map[string]string{"X-Echo": "yes"}))
	case "/binary":
		in := req.BodyBinary()
		out := make([]byte, len(in))
		for i, b := range in {
			out[len(in)-1-i] = b
		}
		return Context.Res.Binary(out)
	case "/api":
		outgoing, _ := http.NewRequest("GET", os.Getenv("APPWRITE_FUNCTION_API_ENDPOINT")+"/functions/"+os.Getenv("APPWRITE_FUNCTION_ID"), nil)
		outgoing.Header.Set("x-appwrite-project", os.Getenv("APPWRITE_FUNCTION_PROJECT_ID"))
		outgoing.Header.Set("x-appwrite-key", req.Headers["x-appwrite-key"])
		answer, err := http.DefaultClient.Do(outgoing)
		if err != nil {
			panic(err)
		}
		defer answer.Body.Close()
		var model struct{ Name string }
		json.NewDecoder(answer.Body).Decode(&model)
		asked, _ := req.BodyJson()
		return Context.Res.Json(map[string]any{"status": answer.StatusCode, "name": model.Name, "asked": asked["ask"]})
	case "/read":
		entries, err := os.ReadDir(req.Query["dir"])
		if errors.Is(err, fs.ErrNotExist) {
			return Context.Res.Json(map[string]any{"failure": "ENOENT"})
		}
		names := []string{}
		for _, entry := range entries {
			names = append(names, entry.Name())
		}
		return Context.Res.Json(map[string]any{"entries": names})
	case "/redirect":
		return Context.Res.Redirect("https://example.com/elsewhere", Context.Res.WithStatusCode(302))
	case "/empty":
		return Context.Res.Empty()
	case "/throw":
		panic("thrown on purpose")
	case "/none":
		return openruntimes.Response{}
	case "/sleep":
		time.Sleep(10 * time.Second)
		return Context.Res.Text("too late")
	}
	Context.Error("unknown path " + req.Path)
	return Context.Res.Text("Not found", Context.Res.WithStatusCode(404))
}
`;

/** The same function in Java, in Appwrite's Java starter's shape: a class with main(RuntimeContext), compiled at build. */
export const JAVA_CONFORMANCE = `package io.openruntimes.java.src;

import io.openruntimes.java.Json;
import io.openruntimes.java.RuntimeContext;
import io.openruntimes.java.RuntimeOutput;
import io.openruntimes.java.RuntimeRequest;
import java.io.File;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

public class Main {
    public RuntimeOutput main(RuntimeContext context) throws Exception {
        RuntimeRequest req = context.getReq();
        context.log("path " + req.getPath());
        System.out.println("console says {\\"n\\":1}");
        System.err.println("console complains");
        switch (req.getPath()) {
            case "/echo": {
                Map<String, Object> answer = new HashMap<>();
                answer.put("method", req.getMethod());
                answer.put("path", req.getPath());
                answer.put("query", req.getQuery());
                answer.put("queryString", req.getQueryString());
                answer.put("scheme", req.getScheme());
                answer.put("host", req.getHost());
                answer.put("port", req.getPort());
                answer.put("url", req.getUrl());
                answer.put("bodyText", req.getBodyText());
                answer.put("body", "application/json".equals(req.getHeaders().get("content-type")) ? req.getBodyJson() : req.getBody());
                answer.put("custom", req.getHeaders().get("x-custom"));
                answer.put("trigger", req.getHeaders().get("x-appwrite-trigger"));
                answer.put("hasKey", !req.getHeaders().getOrDefault("x-appwrite-key", "").isEmpty());
                answer.put("secretHidden", req.getHeaders().keySet().stream().noneMatch(name -> name.startsWith("x-open-runtimes-")));
                answer.put("env", Map.of("id", System.getenv("APPWRITE_FUNCTION_ID"), "project", System.getenv("APPWRITE_FUNCTION_PROJECT_ID"), "deployment", System.getenv("APPWRITE_FUNCTION_DEPLOYMENT")));
                return context.getRes().json(answer, 201, Map.of("X-Echo", "yes"));
            }
            case "/binary": {
                byte[] in = req.getBodyBinary();
                byte[] out = new byte[in.length];
                for (int i = 0; i < in.length; i++) out[in.length - 1 - i] = in[i];
                return context.getRes().binary(out);
            }
            case "/api": {
                URL url = URI.create(System.getenv("APPWRITE_FUNCTION_API_ENDPOINT") + "/functions/" + System.getenv("APPWRITE_FUNCTION_ID")).toURL();
                HttpURLConnection outgoing = (HttpURLConnection) url.openConnection();
                outgoing.setRequestProperty("x-appwrite-project", System.getenv("APPWRITE_FUNCTION_PROJECT_ID"));
                outgoing.setRequestProperty("x-appwrite-key", req.getHeaders().get("x-appwrite-key"));
                try (InputStream in = outgoing.getInputStream()) {
                    Map<?, ?> model = (Map<?, ?>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    return context.getRes().json(Map.of("status", outgoing.getResponseCode(), "name", model.get("name"), "asked", req.getBodyJson().get("ask")));
                }
            }
            case "/read": {
                String[] entries = new File(req.getQuery().get("dir")).list();
                return context.getRes().json(entries == null ? Map.of("failure", "ENOENT") : Map.of("entries", Arrays.asList(entries)));
            }
            case "/redirect":
                return context.getRes().redirect("https://example.com/elsewhere", 302);
            case "/empty":
                return context.getRes().empty();
            case "/throw":
                throw new IllegalStateException("thrown on purpose");
            case "/none":
                return null;
            case "/sleep":
                Thread.sleep(10000);
                return context.getRes().text("too late");
            default:
                context.error("unknown path " + req.getPath());
                return context.getRes().text("Not found", 404);
        }
    }
}
`;
