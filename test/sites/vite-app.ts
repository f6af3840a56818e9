import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import * as tar from 'tar';

const run = promisify(execFile);

/** A React single-page app built by Vite: a home page, a product page by path, a link between. */
export const VITE_REACT_APP: Record<string, string> = {
  'package.json': JSON.stringify(
    {
      name: 'plinth-vite-react-spa',
      private: true,
      version: '1.0.0',
      type: 'module',
      scripts: { build: 'vite build' },
      dependencies: { react: '19.2.0', 'react-dom': '19.2.0' },
      devDependencies: { vite: '7.3.8' },
    },
    null,
    2,
  ),
  // JSX through Vite's own esbuild: no plugin (and no Babel) to install.
  'vite.config.js': `export default { esbuild: { jsx: 'automatic' } };\n`,
  'index.html': `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <link rel="icon" href="/favicon.svg" />
    <title>Shop</title>
  </head>
  <body>
    <div id="root"></div>
    <script type="module" src="/src/main.jsx"></script>
  </body>
</html>
`,
  'public/favicon.svg': '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="8"/></svg>\n',
  'src/main.jsx': `import { createRoot } from 'react-dom/client';
import { App } from './App.jsx';
import './style.css';

createRoot(document.getElementById('root')).render(<App />);
`,
  'src/App.jsx': `import { useEffect, useState } from 'react';

function usePath() {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const onPop = () => setPath(location.pathname);
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  const go = (to) => {
    history.pushState(null, '', to);
    setPath(to);
  };
  return [path, go];
}

export function App() {
  const [path, go] = usePath();
  const product = /^\\/products\\/(\\w+)$/.exec(path);
  if (product) return <main><h1>Product {product[1]}</h1><a href="/" onClick={(e) => { e.preventDefault(); go('/'); }}>Home</a></main>;
  return <main><h1>Shop home</h1><a id="to-product" href="/products/7" onClick={(e) => { e.preventDefault(); go('/products/7'); }}>Product 7</a></main>;
}
`,
  'src/style.css': 'body { font-family: sans-serif; margin: 2rem; }\nh1 { color: #234; }\n',
};

function fixtureHash(): string {
  const hash = createHash('sha256');
  for (const [path, content] of Object.entries(VITE_REACT_APP).sort(([a], [b]) => a.localeCompare(b))) hash.update(`${path}\0${content}\0`);
  return hash.digest('hex').slice(0, 16);
}

/**
 * The app's source with its node_modules, packed as a deployment archive, so the sandboxed build
 * needs no network. Dependencies come from the npm registry once and are kept under
 * ~/.cache/plinth-test-sites/<hash of the app>, the archive beside them.
 */
export async function viteReactArchive(): Promise<Buffer> {
  const cacheDir = join(homedir(), '.cache', 'plinth-test-sites', fixtureHash());
  const archive = join(cacheDir, 'code.tar.gz');
  if (existsSync(archive)) return readFile(archive);
  await mkdir(dirname(cacheDir), { recursive: true });
  const staging = await mkdtemp(`${cacheDir}-staging-`);
  try {
    const app = join(staging, 'app');
    for (const [path, content] of Object.entries(VITE_REACT_APP)) {
      await mkdir(dirname(join(app, path)), { recursive: true });
      await writeFile(join(app, path), content);
    }
    await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: app, maxBuffer: 16 * 1024 * 1024 });
    await tar.c({ gzip: true, file: join(staging, 'code.tar.gz'), cwd: app, portable: true }, ['.']);
    await rm(app, { recursive: true, force: true });
    try {
      await rename(staging, cacheDir);
    } catch (error) {
      // Another run made it meanwhile; its copy is the same.
      if (!existsSync(archive)) throw error;
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return readFile(archive);
}
