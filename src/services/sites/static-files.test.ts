import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isHashedAsset } from './static-files.js';

test('bundlers’ hashed names are immutable, words and pages are not', () => {
  for (const path of ['/assets/app-3f9a1c2b.js', '/chunk.8d1e4f0a.css', '/_app/immutable/entry/start.Bjx-Gk3_.js', '/assets/index-B_9xk-2a.css', '/_astro/page.CkLm1-Qz.js', '/static/main.0123456789abcdef.js']) {
    assert.equal(isHashedAsset(path), true, path);
  }
  for (const path of ['/header-sections.js', '/a-very-longname.css', '/foo-bar-baz-qux.js', '/index.html', '/page-3f9a1c2b.html', '/logo.svg', '/robots.txt']) {
    assert.equal(isHashedAsset(path), false, path);
  }
});
