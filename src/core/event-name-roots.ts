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
 * Names of roots that differ in their last id alone (every write to one collection), each
 * split where that id goes, so spelling roots out is a join per name. Keyed by the roots
 * without their last id; a key stands for one spelling whatever was cached before.
 */
const spellings = new Map<string, readonly (readonly string[])[]>();
const MAX_CACHED = 1000;

/** A root without its last id, and that id; undefined for a path of one part. */
function split(root: NameRoot): { key: string; head: string; id: string } | undefined {
  const [path, action = '', attribute = ''] = root;
  const cut = path.lastIndexOf('.');
  if (cut <= 0) return undefined;
  const head = path.slice(0, cut);
  return { key: `${head}\u0000${action}\u0000${attribute}`, head, id: path.slice(cut + 1) };
}

/** One root's names with LAST_ID for its last id, split there; none if its path is no list of type and id pairs. */
function spellingOf(root: NameRoot, key: string, head: string): readonly (readonly string[])[] {
  let spelling = spellings.get(key);
  if (spelling === undefined) {
    if (spellings.size >= MAX_CACHED) spellings.clear();
    const parts = `${head}.${LAST_ID}`.split('.');
    const levels: [string, string][] = [];
    for (let at = 0; at + 1 < parts.length; at += 2) levels.push([parts[at]!, parts[at + 1]!]);
    spelling = parts.length % 2 === 0 ? eventNames(levels, root[1], root[2]).map((name) => name.split(LAST_ID)) : [];
    spellings.set(key, spelling);
  }
  return spelling;
}

/** Several roots sharing their last id (a document's three naming schemes): their names without repeats, spelled once. */
const unions = new Map<string, readonly (readonly string[])[]>();

/** The names the roots stand for: each root's names in the order `eventNames` gives them, without repeats. */
export function namesOfRoots(roots: readonly NameRoot[]): string[] {
  const splits = roots.map(split);
  const id = splits[0]?.id;
  if (splits.every((part) => part !== undefined && part.id === id) && id !== undefined) {
    const key = splits.map((part) => part!.key).join('\u0001');
    let union = unions.get(key);
    if (union === undefined) {
      if (unions.size >= MAX_CACHED) unions.clear();
      const names = new Set<string>();
      roots.forEach((root, at) => {
        for (const parts of spellingOf(root, splits[at]!.key, splits[at]!.head)) names.add(parts.join(LAST_ID));
      });
      union = [...names].map((name) => name.split(LAST_ID));
      unions.set(key, union);
    }
    return union.map((parts) => (parts.length === 1 ? parts[0]! : parts.join(id)));
  }
  const names = new Set<string>();
  roots.forEach((root, at) => {
    const part = splits[at];
    if (part) for (const parts of spellingOf(root, part.key, part.head)) names.add(parts.length === 1 ? parts[0]! : parts.join(part.id));
  });
  return [...names];
}

/** The ways a name without wildcards may have been spelled out: its last one or two parts may be the action and attribute. */
function readings(name: string): NameRoot[] {
  const parts = name.split('.');
  const head = (drop: number) => parts.slice(0, parts.length - drop).join('.');
  if (parts.length % 2 === 1) return parts.length > 1 ? [[head(1), parts.at(-1)!]] : [];
  return parts.length > 2 ? [[name], [head(2), parts.at(-2)!, parts.at(-1)!]] : [[name]];
}

function spellsExactly(roots: readonly NameRoot[], names: readonly string[]): boolean {
  const spelled = namesOfRoots(roots);
  return spelled.length === names.length && spelled.every((name, at) => name === names[at]);
}

/**
 * Where the roots of names of one shape (count and first name) stood last, and how each was
 * read: the names of the next write of that kind (another document of the collection) are
 * tried that way first.
 */
const shapes = new Map<string, readonly { at: number; reading: number }[]>();

/**
 * The roots whose names (see namesOfRoots) are exactly these names in this order; undefined
 * when they are not such a list (then they are kept as they are). Each root is read from the
 * first name without a wildcard that the roots before it did not spell out.
 */
export function nameRootsOf(names: readonly string[]): NameRoot[] | undefined {
  const shapeKey = `${names.length}\u0000${names[0] ?? ''}`;
  const shape = shapes.get(shapeKey);
  if (shape) {
    const roots = shape.map(({ at, reading }) => readings(names[at] ?? '')[reading]);
    if (roots.every((root) => root !== undefined) && spellsExactly(roots as NameRoot[], names)) return roots as NameRoot[];
  }
  const found = searchRoots(names);
  if (!found || !spellsExactly(found.roots, names)) return undefined;
  if (shapes.size >= MAX_CACHED) shapes.clear();
  shapes.set(shapeKey, found.shape);
  return found.roots;
}

function searchRoots(names: readonly string[]): { roots: NameRoot[]; shape: { at: number; reading: number }[] } | undefined {
  const roots: NameRoot[] = [];
  const shape: { at: number; reading: number }[] = [];
  const spelledBefore = new Set<string>();
  let matched = 0;
  while (matched < names.length) {
    let at = matched;
    while (at < names.length && names[at]!.includes('*')) at++;
    if (at === names.length) return undefined;
    const reading = readings(names[at]!).findIndex((root) => {
      const added = namesOfRoots([root]).filter((name) => !spelledBefore.has(name));
      if (added.length === 0 || matched + added.length > names.length || added.some((name, offset) => names[matched + offset] !== name)) return false;
      for (const name of added) spelledBefore.add(name);
      matched += added.length;
      roots.push(root);
      return true;
    });
    if (reading === -1) return undefined;
    shape.push({ at, reading });
  }
  return { roots, shape };
}
