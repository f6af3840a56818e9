/** One level of an event name: a resource type and the id of the resource. */
export type EventLevel = readonly [type: string, id: string];

/**
 * Every name an event answers to, as Appwrite emits them: each id concrete or `*`, with
 * and without the action (and its attribute), plus the parent resources. So
 * `users.U.sessions.S.create` also answers to `users.*.sessions.*.create`, `users.U`,
 * `users.*` and the rest, and subscribers match with plain string equality.
 */
export function eventNames(levels: readonly EventLevel[], action?: string, attribute?: string): string[] {
  const names = new Set<string>();
  for (let depth = levels.length; depth >= 1; depth--) {
    for (const prefix of idPermutations(levels.slice(0, depth))) {
      if (depth === levels.length && action) {
        if (attribute) names.add(`${prefix}.${action}.${attribute}`);
        names.add(`${prefix}.${action}`);
      }
      names.add(prefix);
    }
  }
  return [...names];
}

function idPermutations(levels: readonly EventLevel[]): string[] {
  let prefixes = [''];
  for (const [type, id] of levels) {
    const next: string[] = [];
    for (const prefix of prefixes) {
      const head = prefix === '' ? type : `${prefix}.${type}`;
      next.push(`${head}.*`, `${head}.${id}`);
    }
    prefixes = next;
  }
  return prefixes;
}
