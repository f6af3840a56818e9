import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pickFavicon } from './favicon-links.js';

test('an SVG icon wins, else the largest declared size, resolved against the page', () => {
  const page = 'https://example.com/blog/post';
  assert.deepEqual(
    pickFavicon('<link rel="icon" sizes="32x32" href="a.png"><link rel="shortcut icon" href="/b.svg"><link rel="icon" sizes="192x192" href="c.png">', page),
    { href: 'https://example.com/b.svg', extension: 'svg' },
  );
  assert.deepEqual(pickFavicon(`<LINK REL='icon' sizes='16x16' href='/s.ico'><link rel=icon sizes=64x64 href=//cdn.example.com/l.png>`, page), {
    href: 'https://cdn.example.com/l.png',
    extension: 'png',
  });
});

test('other link types and unknown file types are ignored; the site root /favicon.ico is the fallback', () => {
  const html = '<link rel="stylesheet" href="/s.css"><link rel="apple-touch-icon" href="/t.png"><link rel="icon" href="/i.gif">';
  assert.deepEqual(pickFavicon(html, 'http://example.com:8080/a/b'), { href: 'http://example.com:8080/favicon.ico', extension: 'ico' });
});
