import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseDateTimeInput } from './datetime-input.js';

const iso = (value: string) => parseDateTimeInput(value)?.toISOString();

it('reads dates, times, offsets and zone names as Appwrite does; no zone is UTC', () => {
  assert.equal(iso('1975-06-12 14:12:55 America/New_York'), '1975-06-12T18:12:55.000Z');
  assert.equal(iso('1975-06-12 14:12:55+02:00'), '1975-06-12T12:12:55.000Z');
  assert.equal(iso('1975-06-12T14:12:55-0330'), '1975-06-12T17:42:55.000Z');
  assert.equal(iso('1976-06-12 14:12:55'), '1976-06-12T14:12:55.000Z');
  assert.equal(iso('2024-01-15'), '2024-01-15T00:00:00.000Z');
  assert.equal(iso('2024-01-15T10:20'), '2024-01-15T10:20:00.000Z');
  assert.equal(iso('2024-01-15T10:20:30.123456Z'), '2024-01-15T10:20:30.123Z');
  assert.equal(iso('2024-01-15 10:20:30 UTC'), '2024-01-15T10:20:30.000Z');
  assert.equal(iso('0000-01-01 00:00:00'), '0000-01-01T00:00:00.000Z');
  assert.equal(iso('9999-12-31T23:59:59.999+00:00'), '9999-12-31T23:59:59.999Z');
});

it('follows the zone across daylight saving changes', () => {
  assert.equal(iso('2024-01-15 12:00:00 Europe/Paris'), '2024-01-15T11:00:00.000Z');
  assert.equal(iso('2024-07-15 12:00:00 Europe/Paris'), '2024-07-15T10:00:00.000Z');
  assert.equal(iso('2024-11-03 01:30:00 America/New_York'), '2024-11-03T05:30:00.000Z');
});

it('rolls days past the month end over, as Appwrite does', () => {
  assert.equal(iso('2021-02-30'), '2021-03-02T00:00:00.000Z');
});

it('refuses what is no datetime', () => {
  for (const value of ['', 'bad', '2020-10-10 27:30:10+01:00', '2024-13-01', '2024-01-32', '12345-01-01', '2024-01-15 10:61', '2024-01-15 10:00 Mars/Olympus', '15/01/2024']) {
    assert.equal(parseDateTimeInput(value), undefined, value);
  }
});

it('reads the other forms PHP reads, when they hold a four-digit year, in UTC whatever the process zone', () => {
  const zone = process.env.TZ;
  try {
    for (const tz of ['UTC', 'Asia/Tokyo', 'America/Los_Angeles']) {
      process.env.TZ = tz;
      assert.equal(iso('12/04/2022'), '2022-12-04T00:00:00.000Z', tz);
      assert.equal(iso('04.12.2022 10:00'), '2022-12-04T10:00:00.000Z', tz);
      assert.equal(iso('4 December 2022 10:00'), '2022-12-04T10:00:00.000Z', tz);
      assert.equal(iso('Dec 4, 2022'), '2022-12-04T00:00:00.000Z', tz);
      assert.equal(iso('Sun, 04 Dec 2022 10:00:00 +0200'), '2022-12-04T08:00:00.000Z', tz);
      assert.equal(iso('2022-12-04 10:00 PM'), '2022-12-04T22:00:00.000Z', tz);
      assert.equal(iso('2022/12/04 10:00:00 EST'), '2022-12-04T15:00:00.000Z', tz);
    }
  } finally {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  }
});

it('refuses relative and timestamp forms without a four-digit year, as Appwrite does', () => {
  for (const value of ['now', 'tomorrow', 'next monday', '+1 day', '@1700000000', '12345-01-01']) {
    assert.equal(parseDateTimeInput(value), undefined, value);
  }
});
