import { onFirstUse } from './load-package.js';

/** locutus's port of PHP's `strtotime`, loaded the first time a value needs it. */
const phpParser = onFirstUse<typeof import('locutus/php/datetime/strtotime')>('locutus/php/datetime/strtotime');

/**
 * Datetime values as Appwrite's validator takes them for datetime attributes. The forms
 * SDKs and apps send (a date, an optional time with `T` or a space, an optional zone: `Z`,
 * an offset such as `+02:00`, `+0200` or `+02`, `UTC`/`GMT`, or an IANA zone name as in
 * `1975-06-12 14:12:55 America/New_York`) are read here, keeping milliseconds; days past
 * the month's end roll over into the next month, as Appwrite's parser does. Anything else
 * goes to a port of PHP's own parser (`12/04/2022`, `4 December 2022 10:00`, `Sun, 04 Dec
 * 2022 10:00:00 +0000`, `2022-12-04 10pm` …), under Appwrite's extra rule that the text
 * holds a four-digit year. A value without a zone is UTC. Years run from 0000 to 9999.
 */
export function parseDateTimeInput(value: string, now = new Date()): Date | undefined {
  const date = parseCommonForm(value) ?? parsePhpForm(value, now);
  return date && date.getTime() >= EARLIEST && date.getTime() <= LATEST ? date : undefined;
}

const EARLIEST = Date.parse('0000-01-01T00:00:00.000Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

const DATETIME =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?|[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*)?$/;

const OFFSET = /^([+-])(\d{2}):?(\d{2})?$/;

function parseCommonForm(value: string): Date | undefined {
  const match = DATETIME.exec(value.trim());
  if (!match) return undefined;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone] = match;
  const fields = { year: Number(year), month: Number(month), day: Number(day), hour: Number(hour), minute: Number(minute), second: Number(second) };
  if (fields.month < 1 || fields.month > 12 || fields.day < 1 || fields.day > 31) return undefined;
  if (fields.hour > 23 || fields.minute > 59 || fields.second > 59) return undefined;
  const millis = Number(fraction.slice(0, 3).padEnd(3, '0'));
  const wall = wallClockMs(fields) + millis;
  const instant = zone === undefined ? wall : atZone(wall, zone);
  if (instant === undefined) return undefined;
  const date = new Date(instant);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A standalone group of four digits: Appwrite refuses a datetime without one, whatever PHP makes of it. */
const FOUR_DIGIT_YEAR = /(?<!\d)\d{4}(?!\d)/;

/**
 * PHP's reading of the text, in whole seconds. The port reads a value without a zone in the
 * process's local zone, where PHP under Appwrite reads UTC; a leading `UTC` sets the zone,
 * and a zone in the value, coming later, takes its place.
 */
function parsePhpForm(value: string, now: Date): Date | undefined {
  if (value.length > 128 || !FOUR_DIGIT_YEAR.test(value)) return undefined;
  const { strtotime } = phpParser();
  let seconds: number | false;
  try {
    seconds = strtotime(`UTC ${value}`, Math.floor(now.getTime() / 1000));
  } catch {
    return undefined;
  }
  return seconds === false || !Number.isFinite(seconds) ? undefined : new Date(seconds * 1000);
}

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The fields read as UTC; setUTCFullYear keeps years below 100 (Date.UTC would add 1900). */
function wallClockMs(fields: Fields): number {
  const date = new Date(0);
  date.setUTCFullYear(fields.year, fields.month - 1, fields.day);
  date.setUTCHours(fields.hour, fields.minute, fields.second, 0);
  return date.getTime();
}

/** The instant at which the zone's clocks showed `wall` (wall-clock time read as UTC). */
function atZone(wall: number, zone: string): number | undefined {
  const upper = zone.toUpperCase();
  if (upper === 'Z' || upper === 'UTC' || upper === 'GMT') return wall;
  const offset = OFFSET.exec(zone);
  if (offset) {
    const minutes = Number(offset[2]) * 60 + Number(offset[3] ?? '0');
    return wall - (offset[1] === '-' ? -minutes : minutes) * 60_000;
  }
  const format = zoneFormat(zone);
  if (!format) return undefined;
  // The zone's offset at the guess, then at the corrected instant (they differ across a DST change).
  const first = wall - zoneOffsetMs(format, wall);
  const second = wall - zoneOffsetMs(format, first);
  return second;
}

const formats = new Map<string, Intl.DateTimeFormat | null>();

function zoneFormat(zone: string): Intl.DateTimeFormat | undefined {
  let format = formats.get(zone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        era: 'short',
      });
    } catch {
      format = null;
    }
    // Zone names are few; unknown ones are remembered as null so a flood of them stays bounded.
    if (formats.size < 1000) formats.set(zone, format);
  }
  return format ?? undefined;
}

/** How far the zone's clocks are ahead of UTC at the instant. */
function zoneOffsetMs(format: Intl.DateTimeFormat, instant: number): number {
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(new Date(instant))) parts[part.type] = part.value;
  const year = parts.era === 'BC' || parts.era === 'B' ? 1 - Number(parts.year) : Number(parts.year);
  const shown = wallClockMs({
    year,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  });
  return shown - (instant - (((instant % 1000) + 1000) % 1000));
}
