import { eventNames } from './events.js';

/**
 * A name `eventNames` spells out, kept short: its levels as one dotted path of type and id
 * pairs, then its action and attribute if any. A database write's 60-odd names come from
 * three of them.
 */
export type NameRoot = [path: string, action?: string, attribute?: string];

/** Stands in for the last level's id in a cached spelling; ids never contain it. */
const LAST_ID = '\u0000';
/**
 * The names of roots that differ in their last id alone (every write to one collection), each
 * split where that id goes: spelling a root out is then a join per name.
 */
const spellings = new Map<string, readonly (readonly string[])[]>();
const MAX_SPELLINGS = 1000;

/** The names a root stands for, in the order `eventNames` gives them; none if its path is no list of type and id pairs. */
function expand(root: NameRoot): string[] {
  const [path, action = '', attribute = ''] = root;
  const cut = path.lastIndexOf('.');
  if (cut <= 0) return [];
  const head = path.slice(0, cut);
  const key = `${head}\u0000${action}\u0000${attribute}`;
  let spelling = spellings.get(key);
  if (spelling === undefined) {
    if (spellings.size >= MAX_SPELLINGS) spellings.clear();
    const parts = `${head}.${LAST_ID}`.split('.');
    const levels: [string, string][] = [];
    for (let at = 0; at + 1 < parts.length; at += 2) levels.push([parts[at]!, parts[at + 1]!]);
    spelling = parts.length % 2 === 0 ? eventNames(levels, action, attribute).map((name) => name.split(LAST_ID)) : [];
    spellings.set(key, spelling);
  }
  const id = path.slice(cut + 1);
  return spelling.map((parts) => (parts.length === 1 ? parts[0]! : parts.join(id)));
}

/** The ways a name without wildcards may have been spelled out: its last one or two parts may be the action and attribute. */
function readings(name: string): NameRoot[] {
  const parts = name.split('.');
  const head = (drop: number) => parts.slice(0, parts.length - drop).join('.');
  if (parts.length % 2 === 1) return parts.length > 1 ? [[head(1), parts.at(-1)!]] : [];
  return parts.length > 2 ? [[name], [head(2), parts.at(-2)!, parts.at(-1)!]] : [[name]];
}

/**
 * The roots whose names, concatenated without repeats, are exactly these names in this order;
 * undefined when they are not such a list (then they are kept as they are). Each root is read
 * from the first name without a wildcard that the roots before it did not spell out, and kept
 * only when its names are the very ones that follow.
 */
export function nameRootsOf(names: readonly string[]): NameRoot[] | undefined {
  const roots: NameRoot[] = [];
  let matched = 0;
  while (matched < names.length) {
    let at = matched;
    while (at < names.length && names[at]!.includes('*')) at++;
    if (at === names.length) return undefined;
    // Names the roots before spelled out already are not repeated.
    const earlier = roots.length > 0 ? new Set(names.slice(0, matched)) : undefined;
    const found = readings(names[at]!).some((root) => {
      const spelled = expand(root);
      const added = earlier ? spelled.filter((name) => !earlier.has(name)) : spelled;
      if (added.length === 0 || matched + added.length > names.length || added.some((name, offset) => names[matched + offset] !== name)) return false;
      matched += added.length;
      roots.push(root);
      return true;
    });
    if (!found) return undefined;
  }
  return roots;
}

/** The names the roots stand for (the inverse of `nameRootsOf`). */
export function namesOfRoots(roots: readonly NameRoot[]): string[] {
  if (roots.length === 1) return expand(roots[0]!);
  const names = new Set<string>();
  for (const root of roots) for (const name of expand(root)) names.add(name);
  return [...names];
}
