import { hash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** Random bits as hex (512 unless asked): session, token and invitation secrets. */
export function randomSecret(bytes = 64): string {
  return randomBytes(bytes).toString('hex');
}

/** A numeric code of `digits` digits, for OTPs sent by mail or SMS. */
export function randomDigits(digits = 6): string {
  let code = '';
  for (let i = 0; i < digits; i++) code += String(randomInt(10));
  return code;
}

/** SHA-256 hex: secrets are random and long, so a fast hash is enough to store them. One call, as every request with a key or session makes one. */
export function sha256(value: string): string {
  return hash('sha256', value, 'hex');
}

export function equalSecrets(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
