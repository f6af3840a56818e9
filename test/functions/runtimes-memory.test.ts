// @engine-independent: the memory limit is the sandbox's contract with each runtime, which no engine changes; limits.test.ts runs Node's on both.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Functions } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { deployFunction } from './deploy.js';
import { assertHogStopped } from './memory-hog.js';

const PROJECT = 'memory';
const MEMORY_MB = 128;

/** In each language, a function whose `/hog` path keeps 64 MB blocks (each written, so the pages are real) until it is stopped. */
const HOGS: Array<{ runtime: string; entrypoint: string; code: string }> = [
  {
    runtime: 'python-3.11',
    entrypoint: 'main.py',
    code: `def main(context):
    if context.req.path == "/hog":
        hoard = []
        while True:
            hoard.append(b"\\x01" * (64 * 1024 * 1024))
    return context.res.json({"ok": True})
`,
  },
  {
    runtime: 'php-8.2',
    entrypoint: 'index.php',
    code: `<?php
return function ($context) {
    if ($context->req->path === '/hog') {
        $hoard = [];
        for (;;) {
            $hoard[] = str_repeat('x', 64 * 1024 * 1024);
        }
    }
    return $context->res->json(['ok' => true]);
};
`,
  },
  {
    runtime: 'ruby-3.1',
    entrypoint: 'main.rb',
    code: `def main(context)
  if context.req.path == '/hog'
    hoard = []
    loop { hoard << ('x' * (64 * 1024 * 1024)) }
  end
  context.res.json({ ok: true })
end
`,
  },
  {
    runtime: 'go-1.19',
    entrypoint: 'main.go',
    code: `package handler

import (
	"bytes"

	"github.com/open-runtimes/types-for-go/v4/openruntimes"
)

var hoard [][]byte

func Main(Context openruntimes.Context) openruntimes.Response {
	if Context.Req.Path == "/hog" {
		for {
			hoard = append(hoard, bytes.Repeat([]byte{1}, 64<<20))
		}
	}
	return Context.Res.Json(map[string]any{"ok": true})
}
`,
  },
  {
    runtime: 'java-17.0',
    entrypoint: 'src/Main.java',
    code: `package io.openruntimes.java.src;

import io.openruntimes.java.RuntimeContext;
import io.openruntimes.java.RuntimeOutput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

public class Main {
    private static final List<byte[]> hoard = new ArrayList<>();

    public RuntimeOutput main(RuntimeContext context) {
        if (context.getReq().getPath().equals("/hog")) {
            for (;;) {
                byte[] block = new byte[64 << 20];
                Arrays.fill(block, (byte) 1);
                hoard.add(block);
            }
        }
        return context.getRes().json(Map.of("ok", true));
    }
}
`,
  },
];

describe('a function that allocates past its memory limit is stopped alike in every language', () => {
  let server: TestServer;
  let functions: Functions;
  let offered: Set<string>;
  const deployed = new Map<string, Promise<string>>();

  before(async () => {
    server = await TestServer.start({ env: { PLINTH_FUNCTIONS_MEMORY_MB: String(MEMORY_MB) } });
    await server.createProject(PROJECT);
    functions = new Functions(sdkClient(server, PROJECT, await server.createKey(PROJECT)));
    offered = new Set((await functions.listRuntimes()).runtimes.map((runtime) => runtime.$id));
    // Built side by side; each test waits for its own.
    for (const hog of HOGS.filter(({ runtime }) => offered.has(runtime))) {
      const built = deployFunction(functions, { runtime: hog.runtime, files: { [hog.entrypoint]: hog.code }, entrypoint: hog.entrypoint, execute: ['any'] }).then(({ functionId, deployment }) => {
        assert.equal(deployment.status, 'ready', deployment.buildLogs);
        return functionId;
      });
      built.catch(() => {});
      deployed.set(hog.runtime, built);
    }
  });
  after(() => server?.stop());

  for (const { runtime } of HOGS) {
    test(`${runtime}: stopped with the out-of-memory error; the next execution works`, async (t) => {
      const built = deployed.get(runtime);
      if (!built) return t.skip(`${runtime} is not available on this host`);
      await assertHogStopped(functions, server.endpoint, await built, MEMORY_MB);
    });
  }
});
