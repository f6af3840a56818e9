import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sanitizeSvg } from './svg-sanitizer.js';

test('an icon keeps its drawing, minified, with the SVG namespace declared', () => {
  const icon = `<?xml version="1.0"?>
<!-- made by hand -->
<svg viewBox="0 0 16 16" width="16" height="16">
  <defs><linearGradient id="g"><stop offset="0" stop-color="#f00"/></linearGradient></defs>
  <style>@media (prefers-color-scheme: dark) { path { fill: #fff } }</style>
  <path d="M0 0h16v16H0z" fill="url(#g)"/>
  <use xlink:href="#g"/>
  <text x="1" y="12">A &amp; B</text>
</svg>`;
  assert.equal(
    sanitizeSvg(icon),
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16" width="16" height="16">' +
      '<defs><linearGradient id="g"><stop offset="0" stop-color="#f00"/></linearGradient></defs>' +
      '<style>@media (prefers-color-scheme: dark) { path { fill: #fff } }</style>' +
      '<path d="M0 0h16v16H0z" fill="url(#g)"/><use href="#g"/><text x="1" y="12">A &amp; B</text></svg>',
  );
});

test('scripts, handlers, foreign content, links, animations and outside references are dropped', () => {
  const icon = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="alert(1)">
    <script>alert(2)</script>
    <foreignObject><body xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="alert(3)"/></body></foreignObject>
    <a href="javascript:alert(4)"><rect width="1" height="1"/></a>
    <set attributeName="href" to="javascript:alert(5)"/>
    <use href="https://example.com/sprite.svg#a"/>
    <image href="https://example.com/track.png"/>
    <rect width="2" height="2" style="fill: url(https://example.com/x)" ONCLICK="alert(6)"/>
    <style>@import url(https://example.com/a.css);</style>
    <rect width="3" style="fill: \\75 rl(https://example.com/y)"/>
    <circle r="1" fill="url(#ok)"/>
  </svg>`;
  assert.equal(sanitizeSvg(icon), '<svg xmlns="http://www.w3.org/2000/svg"><use/><rect width="2" height="2"/><rect width="3"/><circle r="1" fill="url(#ok)"/></svg>');
});

test('what is not a readable SVG fails as a whole', () => {
  for (const text of [
    '<!DOCTYPE svg [<!ENTITY x "boom">]><svg>&x;</svg>',
    '<svg><rect></svg>',
    '<svg>&unknown;</svg>',
    '<svg width=16></svg>',
    '<html><body></body></html>',
    '<svg xmlns="http://www.w3.org/1999/xhtml"></svg>',
    '<svg></svg><svg></svg>',
    'just text',
    '<svg><g></svg>',
    '<svg><rect/>',
    '<svg',
    '<svg width="1" width="2"></svg>',
    '<svg hidden></svg>',
    '<svg>A & B</svg>',
    '<svg>&nbsp;</svg>',
    '<svg fill="&copy;"></svg>',
    '<svg><?xml-stylesheet href="a.css"?></svg>',
    '<svg></svg><?xml version="1.0"?>',
    '<![CDATA[x]]><svg></svg>',
  ]) {
    assert.equal(sanitizeSvg(text), undefined, text);
  }
});

test('references and CDATA are read as text, and a stylesheet is checked whole however it is split', () => {
  assert.equal(
    sanitizeSvg('<svg><text x="&#49;">&lt;&#x41;<![CDATA[&<]]></text></svg>'),
    '<svg xmlns="http://www.w3.org/2000/svg"><text x="1">&lt;A&amp;&lt;</text></svg>',
  );
  for (const split of ['url<!-- -->(', 'url<![CDATA[(]]>', 'url<script/>(', 'url&#40;']) {
    assert.equal(sanitizeSvg(`<svg><style>a{fill:${split}https://example.com/z)}</style></svg>`), '<svg xmlns="http://www.w3.org/2000/svg"/>', split);
  }
});
