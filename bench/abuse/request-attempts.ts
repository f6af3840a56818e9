// Attempts that are one request each: catastrophic regex queries, huge and deep JSON bodies.
import type { Attempt, Target } from './attempt.js';
import { describeSent, send } from './send.js';
import { documentsPath } from './fixture.js';

const REGEX_PATTERNS = ['^(.+)+Q$', '(a+)+$', '(a|aa)+$', '(.*a){20}'];
const HUGE_KEYS = 900_000;
/** Zeros in the large array: two bytes each, about 14 MB. */
const HUGE_ARRAY = 7_000_000;
const DEPTH = 100_000;

/** A guest listing the public collection with one regex query on `title`. */
function regexAttempt(pattern: string): Attempt {
  const query = JSON.stringify({ method: 'regex', attribute: 'title', values: [pattern] });
  return {
    group: 'Regex queries',
    name: `guest list, regex \`${pattern}\``,
    maxMs: (target) => target.boundMs,
    async run(target) {
      const url = `${target.baseUrl}${documentsPath()}?queries%5B0%5D=${encodeURIComponent(query)}`;
      return describeSent(await send(url, { headers: { 'X-Appwrite-Project': target.projectId }, timeoutMs: target.boundMs }));
    },
  };
}

/** A guest creating a document in the collection it may only read, with `body` (built once, before any probing). */
function bodyAttempt(group: string, name: string, body: Buffer): Attempt {
  return {
    group,
    name: `${name}, ${(body.length / 1e6).toFixed(1)} MB`,
    maxMs: (target) => target.boundMs,
    async run(target: Target) {
      const sent = await send(`${target.baseUrl}${documentsPath()}`, {
        method: 'POST',
        headers: { 'X-Appwrite-Project': target.projectId },
        body,
        timeoutMs: target.boundMs,
      });
      return describeSent(sent);
    },
  };
}

function documentBody(data: string): Buffer {
  return Buffer.from(`{"documentId":"unique()","data":${data}}`);
}

function manyKeys(count: number): string {
  const keys: string[] = [];
  for (let i = 0; i < count; i++) keys.push(`"k${String(i).padStart(7, '0')}":"ab"`);
  return `{${keys.join(',')}}`;
}

export function requestAttempts(): Attempt[] {
  return [
    ...REGEX_PATTERNS.map(regexAttempt),
    bodyAttempt('Huge bodies', `guest create, data of ${HUGE_KEYS.toLocaleString('en-US')} keys`, documentBody(manyKeys(HUGE_KEYS))),
    bodyAttempt('Huge bodies', `guest create, title an array of ${HUGE_ARRAY.toLocaleString('en-US')} numbers`, documentBody(`{"title":[${'0,'.repeat(HUGE_ARRAY - 1)}0]}`)),
    bodyAttempt('Deep bodies', `guest create, body \`[[[…]]]\` ${DEPTH.toLocaleString('en-US')} deep`, Buffer.from(`${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`)),
    bodyAttempt('Deep bodies', `guest create, data \`{"a":{"a":…}}\` ${DEPTH.toLocaleString('en-US')} deep`, documentBody(`${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`)),
  ];
}
