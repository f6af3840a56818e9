import { createHash } from 'node:crypto';

/** phpass's own base-64 alphabet and bit order (it is not RFC 4648). */
const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Computes a phpass "portable" hash (`$P$` or `$H$`): MD5 of salt and password, then
 * re-hashed 2^n times with the password; n, the salt and the digest are in the setting.
 * Returns undefined for a setting that is not a portable hash.
 */
export function phpassPortableHash(password: string, setting: string): string | undefined {
  const prefix = setting.slice(0, 3);
  if (prefix !== '$P$' && prefix !== '$H$') return undefined;
  const log2 = ITOA64.indexOf(setting[3] ?? '');
  if (log2 < 7 || log2 > 30) return undefined;
  const salt = setting.slice(4, 12);
  if (salt.length !== 8) return undefined;
  const secret = Buffer.from(password, 'utf8');
  let digest = createHash('md5').update(Buffer.concat([Buffer.from(salt, 'binary'), secret])).digest();
  for (let round = 1 << log2; round > 0; round--) {
    digest = createHash('md5').update(Buffer.concat([digest, secret])).digest();
  }
  return setting.slice(0, 12) + encodePhpass64(digest);
}

/** phpass's encode64: three bytes to four characters, least significant bits first. */
function encodePhpass64(input: Buffer): string {
  let output = '';
  let i = 0;
  while (i < input.length) {
    let value = input[i++]!;
    output += ITOA64[value & 0x3f];
    if (i < input.length) value |= input[i]! << 8;
    output += ITOA64[(value >> 6) & 0x3f];
    if (i++ >= input.length) break;
    if (i < input.length) value |= input[i]! << 16;
    output += ITOA64[(value >> 12) & 0x3f];
    if (i++ >= input.length) break;
    output += ITOA64[(value >> 18) & 0x3f];
  }
  return output;
}
