import { AppError } from '../core/errors.js';

/** Deeper than any document with nested related documents goes; JSON.parse recurses per level. */
export const MAX_JSON_DEPTH = 32;
/** Values in one body: a bulk write of 1000 documents with 100 fields each fits. */
export const MAX_JSON_VALUES = 100_000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/**
 * Refuses JSON text nested too deep or holding too many values, in one pass without recursion,
 * before JSON.parse spends time (or its stack) on it. Malformed text is left to JSON.parse.
 */
export function assertJsonWithinLimits(text: string): void {
  let depth = 0;
  let values = 1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      i = closingQuote(text, i);
    } else if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      if (++depth > MAX_JSON_DEPTH) {
        throw new AppError('general_argument_invalid', `The JSON body nests deeper than the ${MAX_JSON_DEPTH} levels allowed.`);
      }
    } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
      depth--;
    } else if (code === COMMA && ++values > MAX_JSON_VALUES) {
      throw new AppError('general_argument_invalid', `The JSON body holds more than the ${MAX_JSON_VALUES} values allowed.`);
    }
  }
}

/** The index of the quote ending the string opened at `open`, skipping escaped quotes. */
function closingQuote(text: string, open: number): number {
  let from = open + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote === -1) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    from = quote + 1;
  }
}
