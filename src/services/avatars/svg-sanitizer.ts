/**
 * Remote SVG icons are passed on as SVG, so nothing that runs or loads may survive: the text is
 * read by a strict reader (anything it does not understand — a DOCTYPE, an unknown entity, a
 * broken tag — fails the whole icon) and written anew from drawing elements and attributes only,
 * minified. Scripts, event handlers, foreign content, links, animations and any reference outside
 * the document itself are dropped.
 */

/** What an icon may draw with; any other element is dropped with everything inside it. */
const DRAWING_ELEMENTS = new Set([
  'svg', 'g', 'defs', 'symbol', 'use', 'title', 'desc', 'style', 'switch',
  'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon', 'text', 'tspan', 'textPath',
  'linearGradient', 'radialGradient', 'stop', 'clipPath', 'mask', 'pattern', 'marker',
  'filter', 'feBlend', 'feColorMatrix', 'feComponentTransfer', 'feComposite', 'feDropShadow', 'feFlood',
  'feFuncA', 'feFuncB', 'feFuncG', 'feFuncR', 'feGaussianBlur', 'feMerge', 'feMergeNode', 'feMorphology', 'feOffset',
]);

/** Elements whose text is drawn or read, where spaces count. */
const TEXT_ELEMENTS = new Set(['text', 'tspan', 'textPath', 'title', 'desc', 'style']);

const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

interface Element {
  name: string;
  attributes: [string, string][];
  children: (Element | string)[];
}

class UnreadableSvg extends Error {}

/** The icon rebuilt from what is safe to draw, or undefined when it is not an SVG this can read. */
export function sanitizeSvg(text: string): string | undefined {
  let root: Element;
  try {
    root = readSvg(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    if (error instanceof UnreadableSvg) return undefined;
    throw error;
  }
  const namespace = root.attributes.find(([name]) => name === 'xmlns')?.[1];
  if (root.name !== 'svg' || (namespace !== undefined && namespace !== SVG_NAMESPACE)) return undefined;
  // Served on its own, an SVG is drawn only with its namespace declared.
  root.attributes = [['xmlns', SVG_NAMESPACE], ...root.attributes.filter(([name]) => name !== 'xmlns')];
  return write(root);
}

function write(element: Element): string {
  const attributes = element.attributes
    .filter(([name, value]) => keepsAttribute(element.name, name, value))
    // `xlink:href` as `href`, which SVG 2 reads alike, so no other namespace needs declaring.
    .map(([name, value]) => ` ${name === 'xlink:href' ? 'href' : name}="${escape(value)}"`)
    .join('');
  const keepsSpace = TEXT_ELEMENTS.has(element.name);
  let inner = '';
  for (const child of element.children) {
    if (typeof child === 'string') {
      if (element.name === 'style' && !isSafeCss(child)) return '';
      if (keepsSpace || child.trim() !== '') inner += escape(child);
    } else if (DRAWING_ELEMENTS.has(child.name)) {
      inner += write(child);
    }
  }
  return inner === '' ? `<${element.name}${attributes}/>` : `<${element.name}${attributes}>${inner}</${element.name}>`;
}

function keepsAttribute(element: string, name: string, value: string): boolean {
  if (name === 'xmlns') return element === 'svg' && value === SVG_NAMESPACE;
  if (/^on/i.test(name)) return false;
  if (name === 'href' || name === 'xlink:href') return /^#[\w.:-]*$/.test(value.trim());
  // Other prefixes name other vocabularies; `xml:space` is the one an icon needs.
  if (name.includes(':') && name !== 'xml:space') return false;
  return isSafeCss(value);
}

/** Styles and attribute values may point inside the icon (`url(#id)`) and nowhere else; CSS escapes could hide a `url(`. */
function isSafeCss(value: string): boolean {
  const lower = value.toLowerCase();
  if (/\\|@import|expression\s*\(|javascript:|vbscript:|data:|behavior\s*:|-moz-binding/.test(lower)) return false;
  for (const match of lower.matchAll(/url\s*\(\s*(['"]?)\s*([^'")\s]*)/g)) if (!match[2]!.startsWith('#')) return false;
  return true;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A strict reader of the XML an icon is: elements, attributes in quotes, text, comments, CDATA. */
function readSvg(text: string): Element {
  let at = 0;
  const stack: Element[] = [];
  let root: Element | undefined;
  const fail = (): never => {
    throw new UnreadableSvg();
  };
  const addChild = (child: Element | string) => {
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(child);
    else if (typeof child === 'string') {
      if (child.trim() !== '') fail();
    } else if (root) fail();
    else root = child;
  };

  while (at < text.length) {
    if (text.startsWith('<!--', at)) {
      const end = text.indexOf('-->', at + 4);
      if (end < 0) fail();
      at = end + 3;
    } else if (text.startsWith('<![CDATA[', at)) {
      const end = text.indexOf(']]>', at + 9);
      if (end < 0 || stack.length === 0) fail();
      addChild(text.slice(at + 9, end));
      at = end + 3;
    } else if (text.startsWith('<?', at)) {
      // Only the XML declaration, before anything else.
      if (root || stack.length > 0 || !/^<\?xml\s/i.test(text.slice(at, at + 6))) fail();
      const end = text.indexOf('?>', at);
      if (end < 0) fail();
      at = end + 2;
    } else if (text.startsWith('</', at)) {
      const match = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(text.slice(at, at + 256));
      const open = stack.pop();
      if (!match || !open || open.name !== match[1]) fail();
      at += match![0].length;
    } else if (text[at] === '<') {
      const match = /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(at, at + 256));
      if (!match) fail();
      at += match![0].length;
      const element: Element = { name: match![1]!, attributes: [], children: [] };
      const seen = new Set<string>();
      for (;;) {
        const attribute = /^\s+([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/.exec(text.slice(at, at + 64 * 1024));
        if (!attribute) break;
        const name = attribute[1]!;
        if (seen.has(name)) fail();
        seen.add(name);
        element.attributes.push([name, decode(attribute[2] ?? attribute[3] ?? '')]);
        at += attribute[0].length;
      }
      const close = /^\s*(\/?)>/.exec(text.slice(at, at + 256));
      if (!close) fail();
      at += close![0].length;
      addChild(element);
      if (close![1] !== '/') stack.push(element);
    } else {
      const end = text.indexOf('<', at);
      const raw = text.slice(at, end < 0 ? text.length : end);
      addChild(decode(raw));
      at += raw.length;
    }
  }
  if (stack.length > 0 || !root) fail();
  return root!;

  function decode(value: string): string {
    return value.replace(/&([^;&\s]*);|&/g, (_whole, entity: string | undefined) => {
      if (entity === undefined) return fail();
      if (entity in NAMED_ENTITIES) return NAMED_ENTITIES[entity]!;
      const code = /^#x([0-9a-f]{1,6})$/i.exec(entity) ? Number.parseInt(entity.slice(2), 16) : /^#(\d{1,7})$/.test(entity) ? Number(entity.slice(1)) : NaN;
      if (!Number.isInteger(code) || code <= 0 || code > 0x10ffff) return fail();
      return String.fromCodePoint(code);
    });
  }
}
