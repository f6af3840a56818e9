import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../core/errors.js';
import { assertJsonWithinLimits, MAX_JSON_DEPTH, MAX_JSON_VALUES } from './json-limits.js';

const refused = (text: string) => assert.throws(() => assertJsonWithinLimits(text), (error: AppError) => error.type === 'general_argument_invalid');

describe('JSON body limits', () => {
  it('accepts nesting up to the limit and refuses one level more', () => {
    assertJsonWithinLimits('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH));
    refused('['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1));
    refused(`{"a":${'{"a":'.repeat(MAX_JSON_DEPTH)}1${'}'.repeat(MAX_JSON_DEPTH + 1)}`);
  });

  it('ignores brackets, commas and escaped quotes inside strings', () => {
    assertJsonWithinLimits(JSON.stringify({ text: '['.repeat(1000) + ','.repeat(MAX_JSON_VALUES + 1) + '\\"[[' }));
    assertJsonWithinLimits(JSON.stringify(['"', '\\', '\\"{', '{{{']));
  });

  it('accepts values up to the limit and refuses one more', () => {
    assertJsonWithinLimits(JSON.stringify(Array.from({ length: MAX_JSON_VALUES }, () => 0)));
    refused(JSON.stringify(Array.from({ length: MAX_JSON_VALUES + 1 }, () => 0)));
  });
});
