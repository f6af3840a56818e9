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
