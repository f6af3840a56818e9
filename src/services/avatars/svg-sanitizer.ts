import { Parser } from 'htmlparser2';

/**
 * Remote SVG icons are passed on as SVG, so nothing that runs or loads may survive: the text is
 * read by htmlparser2 held strict (a DOCTYPE, an unknown entity, an unclosed or unquoted tag
 * fails the whole icon) and written anew from drawing elements and attributes only,
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
  // A stylesheet is its text pieces joined, whatever comments, CDATA or dropped elements split them.
  if (element.name === 'style' && !isSafeCss(element.children.filter((child) => typeof child === 'string').join(''))) return '';
  let inner = '';
  for (const child of element.children) {
    if (typeof child === 'string') {
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

/** An `&` that does not start one of XML's own references; the parser would keep it as text. */
const UNKNOWN_REFERENCE = /&(?!(?:lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/;

/** The icon as htmlparser2 reads it, refusing what it forgives but a strict XML reader would not. */
function readSvg(text: string): Element {
  const stack: Element[] = [];
  let root: Element | undefined;
  let attributes: [string, string][] = [];
  let inCdata = false;
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
  // The source of the event being reported, to see what the parser let through.
  const source = () => text.slice(parser.startIndex, parser.endIndex + 1);

  const parser = new Parser(
    {
      onopentagname() {
        attributes = [];
      },
      onattribute(name, value, quote) {
        if ((quote !== '"' && quote !== "'") || attributes.some(([seen]) => seen === name) || UNKNOWN_REFERENCE.test(source())) fail();
        attributes.push([name, value]);
      },
      onopentag(name) {
        const element: Element = { name, attributes, children: [] };
        addChild(element);
        stack.push(element);
      },
      onclosetag(_name, isImplied) {
        // A self-closing tag is reported as implied too; any other implied close is a missing end tag.
        if (isImplied && !source().endsWith('/>')) fail();
        stack.pop();
      },
      ontext(data) {
        if (!inCdata && UNKNOWN_REFERENCE.test(source())) fail();
        addChild(data);
      },
      oncdatastart() {
        if (stack.length === 0) fail();
        inCdata = true;
      },
      oncdataend() {
        inCdata = false;
      },
      onprocessinginstruction(name) {
        // Only the XML declaration, before the root: a DOCTYPE could declare entities.
        if (root || name.toLowerCase() !== '?xml') fail();
      },
    },
    { xmlMode: true, decodeEntities: true, lowerCaseTags: false, lowerCaseAttributeNames: false },
  );
  parser.end(text);
  return root ?? fail();
}
