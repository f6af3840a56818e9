import { z } from 'zod';

/** Parameter schemas shared by the account, users and teams routes. */
export const userIdParam = z.string().max(36);
export const emailParam = z.email({ error: 'Value must be a valid email address' }).max(320);
export const passwordParam = z.string().min(8, { error: 'Password must be between 8 and 256 characters long.' }).max(256, {
  error: 'Password must be between 8 and 256 characters long.',
});
/** E.164: a plus, then up to 15 digits. */
export const phoneParam = z.string().regex(/^\+[1-9]\d{5,14}$/, {
  error: 'Phone number must start with a \'+\' and can have a maximum of fifteen digits.',
});
export const nameParam = z.string().max(128, { error: 'Value must be a valid string and at most 128 chars' });
export const prefsParam = z.record(z.string(), z.unknown()).refine((prefs) => JSON.stringify(prefs).length <= 65535, {
  error: 'Value must be a valid object of at most 65535 characters',
});
/** A URL the user is sent back to; which hosts are allowed is checked by the service. */
export const redirectUrlParam = z.url({ error: 'Value must be a valid URL' }).max(2048);

/** The `search` list param. */
export const searchParam = z.string().max(256, { error: 'Value must be a valid string and at most 256 chars' });
/** Labels: at most 1000, each 1–36 letters or digits. */
export const labelsParam = z
  .array(z.string().regex(/^[a-zA-Z0-9]{1,36}$/, { error: 'Value must be a valid string and at most 36 chars, with only alphanumeric chars' }))
  .max(1000, { error: 'Value must be a valid array no longer than 1000 items' });
