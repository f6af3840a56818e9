/** A prebuilt-by-script static app: its build writes dist/ with a page, a hashed asset and a 404 page. */
export const TINY_APP = {
  'package.json': JSON.stringify({ name: 'tiny', version: '1.0.0', type: 'module' }),
  'build.mjs': `
import { mkdirSync, writeFileSync } from 'node:fs';
mkdirSync('dist/assets', { recursive: true });
writeFileSync('dist/index.html', '<!doctype html><title>tiny</title><p>' + (process.env.GREETING ?? 'no greeting') + ' ' + (process.env.VERSION_MARK ?? '') + '</p>');
writeFileSync('dist/assets/app-3f9a1c2b.js', 'console.log("tiny");');
writeFileSync('dist/404.html', '<p>not here</p>');
mkdirSync('dist/docs', { recursive: true });
writeFileSync('dist/docs/index.html', '<p>docs</p>');
console.log('built tiny');
`,
};

/**
 * A build that writes one file of each common web type, a script large enough to compress, and a
 * stylesheet the build compresses itself (`.br` and `.gz` beside it). `MARK` names the version.
 */
export const WEB_TYPES_APP = {
  'package.json': JSON.stringify({ name: 'web-types', version: '1.0.0', type: 'module' }),
  'build.mjs': `
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';
const mark = process.env.MARK ?? 'unmarked';
mkdirSync('dist/assets', { recursive: true });
writeFileSync('dist/index.html', '<!doctype html><title>web types</title><p>version ' + mark + '</p>');
const script = Array.from({ length: 400 }, (_, i) => 'export const value' + i + ' = "' + mark + '-' + i + '";').join('\\n');
writeFileSync('dist/assets/app-3f9a1c2b.js', script);
writeFileSync('dist/assets/app-3f9a1c2b.js.map', JSON.stringify({ version: 3, sources: ['app.ts'], mappings: '' }));
const style = Array.from({ length: 200 }, (_, i) => '.item-' + i + ' { color: #' + (i * 4099).toString(16).padStart(6, '0').slice(0, 6) + '; }').join('\\n');
writeFileSync('dist/assets/style-8d1e4f0a.css', style);
writeFileSync('dist/assets/style-8d1e4f0a.css.br', brotliCompressSync(style));
writeFileSync('dist/assets/style-8d1e4f0a.css.gz', gzipSync(style, { level: 9 }));
writeFileSync('dist/module.mjs', 'export default 1;');
writeFileSync('dist/data.json', '{"ok":true}');
writeFileSync('dist/site.webmanifest', '{"name":"web types"}');
writeFileSync('dist/icon.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>');
writeFileSync('dist/add.wasm', Buffer.from([0, 97, 115, 109, 1, 0, 0, 0]));
writeFileSync('dist/font.woff2', Buffer.from('wOF2'));
writeFileSync('dist/photo.avif', Buffer.from('avif'));
writeFileSync('dist/photo.webp', Buffer.from('RIFFwebp'));
writeFileSync('dist/favicon.ico', Buffer.from([0, 0, 1, 0]));
writeFileSync('dist/robots.txt', 'User-agent: *');
// Links out of the output: the serving host's files are never the site's.
symlinkSync('/etc/passwd', 'dist/passwd.txt');
symlinkSync('/etc/passwd', 'dist/assets/app-3f9a1c2b.js.gz');
console.log('built web types ' + mark);
`,
};
