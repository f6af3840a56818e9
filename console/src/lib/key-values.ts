/** `Name: value`, one a line, as a request shows its headers; lines without a name are skipped. */
export function parsePairs(text: string): Record<string, string> {
  const parsed: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) parsed[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return parsed;
}

/** The pairs back as text for the same kind of field; values that are not strings as JSON. */
export function formatPairs(pairs: Record<string, unknown>): string {
  return Object.entries(pairs)
    .map(([name, value]) => `${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('\n');
}
