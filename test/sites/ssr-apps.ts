/**
 * Tiny server-rendered apps, one per framework, written by the tests. Each has a page rendered on
 * the server from the site variable GREETING, and routes the tests need: a body echo, a stream
 * that waits for a release, a crash and a memory hog.
 */
export interface SsrApp {
  /** package.json: its hash names the cached node_modules (see site-packages.ts). */
  packageJson: Record<string, unknown>;
  files: Record<string, string>;
  /** Installed packages the build and server do not use, left out of the archive (which may hold 30 MB). */
  leaveOut?: string[];
  /**
   * Paths of the build to deploy instead of the sources: the app is built once outside Plinth and
   * cached (see site-packages.ts), and its site has no install or build command. Plinth's own build
   * of an SSR app is tested with the smaller apps; this keeps the heavy builds out of every run.
   */
  prebuilt?: string[];
}

const APP_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <link rel="icon" href="data:," />
    %sveltekit.head%
  </head>
  <body>%sveltekit.body%</body>
</html>
`;

/** The stream route's gate: `/stream` sends its first line, then waits until `/release` is called. */
const GATE = `
let open;
export const released = new Promise((resolve) => (open = resolve));
export function release() { open(); }
`;

export const SVELTEKIT_APP: SsrApp = {
  packageJson: {
    name: 'ssr-sveltekit',
    private: true,
    type: 'module',
    scripts: { build: 'vite build' },
    devDependencies: {
      '@sveltejs/adapter-node': '5.5.7',
      '@sveltejs/kit': '2.70.4',
      '@sveltejs/vite-plugin-svelte': '5.1.0',
      svelte: '5.59.2',
      vite: '6.4.6',
    },
  },
  files: {
    'svelte.config.js': `import adapter from '@sveltejs/adapter-node';\nexport default { kit: { adapter: adapter() } };\n`,
    'vite.config.js': `import { sveltekit } from '@sveltejs/kit/vite';\nimport { defineConfig } from 'vite';\nexport default defineConfig({ plugins: [sveltekit()] });\n`,
    'src/app.html': APP_HTML,
    'src/lib/gate.js': GATE,
    'src/routes/+page.server.js': `import { env } from '$env/dynamic/private';\nexport function load() {\n  console.log('rendering the greeting');\n  return { greeting: env.GREETING ?? 'no greeting' };\n}\n`,
    'src/routes/+page.svelte': `<script>\n  import { onMount } from 'svelte';\n  let { data } = $props();\n  let clicks = $state(0);\n  let hydrated = $state(false);\n  onMount(() => (hydrated = true));\n</script>\n\n<h1 id="greeting">{data.greeting}</h1>\n<button id="counter" data-hydrated={hydrated} onclick={() => clicks++}>clicked {clicks}</button>\n`,
    'src/routes/echo/+server.js': `export function POST({ request, url }) {\n  return new Response(request.body, {\n    status: 201,\n    headers: {\n      'content-type': 'application/octet-stream',\n      'x-query': url.searchParams.get('q') ?? '',\n      'x-method': request.method,\n      'x-cookie': request.headers.get('cookie') ?? '',\n      'x-custom': request.headers.get('x-custom') ?? '',\n      'x-has-key': String(request.headers.has('x-appwrite-key')),\n      'set-cookie': 'a_session_other=stolen; Path=/',\n    },\n  });\n}\n`,
    'src/routes/stream/+server.js': `import { released } from '$lib/gate.js';\nexport function GET() {\n  const encoder = new TextEncoder();\n  const body = new ReadableStream({\n    async start(controller) {\n      controller.enqueue(encoder.encode('first\\n'));\n      await released;\n      controller.enqueue(encoder.encode('second\\n'));\n      controller.close();\n    },\n  });\n  return new Response(body, { headers: { 'content-type': 'text/plain' } });\n}\n`,
    'src/routes/release/+server.js': `import { release } from '$lib/gate.js';\nexport function GET() {\n  release();\n  return new Response('released');\n}\n`,
    'src/routes/crash/+server.js': `export function GET() {\n  console.error('crashing on purpose');\n  process.exit(3);\n}\n`,
    'src/routes/hog/+server.js': `export function GET() {\n  const held = [];\n  for (;;) held.push(Buffer.alloc(16 * 1024 * 1024, 1));\n}\n`,
  },
};

export const ASTRO_APP: SsrApp = {
  packageJson: {
    name: 'ssr-astro',
    private: true,
    type: 'module',
    scripts: { build: 'astro build' },
    dependencies: { '@astrojs/node': '9.5.5', astro: '5.17.3' },
    // One esbuild for Astro and its Vite (two copies of its 10 MB program would not fit the archive).
    overrides: { esbuild: '0.27.7' },
  },
  files: {
    // No image service: sharp is left out of the archive.
    'astro.config.mjs': `import node from '@astrojs/node';\nimport { defineConfig, passthroughImageService } from 'astro/config';\nexport default defineConfig({ output: 'server', adapter: node({ mode: 'standalone' }), image: { service: passthroughImageService() } });\n`,
    'src/pages/index.astro': `---\nconsole.log('rendering the astro page');\nconst greeting = process.env.GREETING ?? 'no greeting';\n---\n<html lang="en"><head><meta charset="utf-8" /><link rel="icon" href="data:," /><title>astro</title></head>\n<body><h1 id="greeting">{greeting}</h1><p id="query">{Astro.url.searchParams.get('q') ?? ''}</p>\n<script>document.getElementById('greeting').dataset.ready = 'yes';</script></body></html>\n`,
  },
  // TypeScript (an optional peer of Astro's config tools) and sharp (its image service) are not needed here.
  leaveOut: ['node_modules/typescript', 'node_modules/sharp', 'node_modules/@img'],
};

/**
 * Nuxt with its default node-server preset: a page rendered on the server from an API route that
 * reads the site variable, hydrated in the browser. Deployed pre-built: .output holds the server
 * with the packages it uses.
 */
export const NUXT_APP: SsrApp = {
  packageJson: {
    name: 'ssr-nuxt',
    private: true,
    type: 'module',
    scripts: { build: 'nuxt build' },
    dependencies: { nuxt: '4.6.4', vue: '3.5.47' },
  },
  files: {
    'nuxt.config.ts': `export default defineNuxtConfig({\n  compatibilityDate: '2025-07-15',\n  devtools: { enabled: false },\n  telemetry: false,\n  app: { head: { htmlAttrs: { lang: 'en' }, title: 'nuxt', link: [{ rel: 'icon', href: 'data:,' }] } },\n});\n`,
    'app/app.vue': `<script setup>\nconst { data } = await useFetch('/api/greeting');\nconst hydrated = ref(false);\nconst clicks = ref(0);\nonMounted(() => (hydrated.value = true));\n</script>\n\n<template>\n  <main>\n    <h1 id="greeting">{{ data?.greeting }}</h1>\n    <button id="counter" :data-hydrated="hydrated" @click="clicks++">clicked {{ clicks }}</button>\n  </main>\n</template>\n`,
    'server/api/greeting.get.js': `export default defineEventHandler(() => {\n  console.log('reading the greeting');\n  return { greeting: process.env.GREETING ?? 'no greeting' };\n});\n`,
  },
  prebuilt: ['.output'],
};

/**
 * Next.js on the App Router with `output: 'standalone'`: a page rendered on the server from the
 * site variable with a client component that hydrates, an API route, and a file of `public`.
 * Deployed pre-built: the standalone server (with the packages it traces), .next/static and public.
 */
export const NEXT_APP: SsrApp = {
  packageJson: {
    name: 'ssr-next',
    private: true,
    scripts: { build: 'next build' },
    dependencies: { next: '16.5.0', react: '19.3.1', 'react-dom': '19.3.1' },
  },
  files: {
    // The app's own folder is its root, whatever lockfiles the folders above it hold.
    'next.config.mjs': `import { fileURLToPath } from 'node:url';\nconst root = fileURLToPath(new URL('.', import.meta.url));\nexport default { output: 'standalone', poweredByHeader: false, outputFileTracingRoot: root, turbopack: { root } };\n`,
    'app/layout.js': `export const metadata = { title: 'next', icons: { icon: 'data:,' } };\n\nexport default function RootLayout({ children }) {\n  return (\n    <html lang="en">\n      <body>{children}</body>\n    </html>\n  );\n}\n`,
    'app/page.js': `import Counter from './counter.js';\n\n// Rendered on every request: the greeting is the deployment's variable, not the build's.\nexport const dynamic = 'force-dynamic';\n\nexport default function Page() {\n  console.log('rendering the next page');\n  return (\n    <main>\n      <h1 id="greeting">{process.env.GREETING ?? 'no greeting'}</h1>\n      <Counter />\n    </main>\n  );\n}\n`,
    'app/counter.js': `'use client';\nimport { useEffect, useState } from 'react';\n\nexport default function Counter() {\n  const [clicks, setClicks] = useState(0);\n  const [hydrated, setHydrated] = useState(false);\n  useEffect(() => setHydrated(true), []);\n  return (\n    <button id="counter" data-hydrated={String(hydrated)} onClick={() => setClicks((count) => count + 1)}>\n      clicked {clicks}\n    </button>\n  );\n}\n`,
    'app/api/greeting/route.js': `export const dynamic = 'force-dynamic';\n\nexport function GET() {\n  console.log('reading the greeting');\n  return Response.json({ greeting: process.env.GREETING ?? 'no greeting' });\n}\n`,
    'public/hello.txt': 'hello from public\n',
  },
  prebuilt: ['.next/standalone', '.next/static', 'public'],
};
