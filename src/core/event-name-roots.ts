import { eventNames } from './events.js';

/**
 * A name `eventNames` spells out, kept short: its levels as one dotted path of type and id
 * pairs, then its action and attribute if any. A database write's 60-odd names come from
 * three of them.
 */
export type NameRoot = [path: string, action?: string, attribute?: string];

/** The names a root stands for, in the order `eventNames` gives them; none if the path is no list of pairs. */
function expand(root: NameRoot): string[] {
  const [path, action, attribute] = root;
  const parts = path.split('.');
  if (parts.length === 0 || parts.length % 2 !== 0) return [];
  const levels: [string, string][] = [];
  for (let at = 0; at < parts.length; at += 2) levels.push([parts[at]!, parts[at + 1]!]);
  return eventNames(levels, action, attribute);
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
 * undefined when they are not such a list (then they are kept as they are). Each root is the
 * first name without a wildcard that no earlier root spelled out, and is kept only when its
 * names are the very ones that follow.
 */
export function nameRootsOf(names: readonly string[]): NameRoot[] | undefined {
  const roots: NameRoot[] = [];
  const covered = new Set<string>();
  let matched = 0;
  for (const name of names) {
    if (covered.has(name) || name.includes('*')) continue;
    const found = readings(name).some((root) => {
      const added = expand(root).filter((spelled) => !covered.has(spelled));
      if (added.length === 0 || matched + added.length > names.length || added.some((spelled, at) => names[matched + at] !== spelled)) return false;
      for (const spelled of added) covered.add(spelled);
      matched += added.length;
      roots.push(root);
      return true;
    });
    if (!found) return undefined;
  }
  return matched === names.length ? roots : undefined;
}

/** The names the roots stand for (the inverse of `nameRootsOf`). */
export function namesOfRoots(roots: readonly NameRoot[]): string[] {
  const names = new Set<string>();
  for (const root of roots) for (const name of expand(root)) names.add(name);
  return [...names];
}
