import { onFirstUse } from '../../core/load-package.js';

const loadOtp = onFirstUse<typeof import('otplib')>('otplib');

/** What every authenticator app understands: SHA-1, six digits, 30-second steps. */
const TOTP = { algorithm: 'sha1', digits: 6, period: 30 } as const;
export const TOTP_PERIOD_SECONDS = TOTP.period;

/** A new base32 secret of 160 bits, the size RFC 4226 recommends for SHA-1. */
export function newTotpSecret(): string {
  return loadOtp().generateSecret({ length: 20 });
}

/** The otpauth:// URI an app scans: issuer is the project, account the user's email or id. */
export function totpUri(secret: string, issuer: string, account: string): string {
  return loadOtp().generateURI({ issuer, label: account, secret, ...TOTP });
}

/**
 * The time step a code belongs to when it is valid now, one step either side allowed
 * for clock drift; undefined when it is not valid.
 */
export async function matchTotpCode(secret: string, code: string, now = Date.now()): Promise<number | undefined> {
  if (!/^\d{6}$/.test(code)) return undefined;
  const result = await loadOtp().verify({ secret, token: code, epoch: Math.floor(now / 1000), epochTolerance: TOTP.period, ...TOTP });
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}

