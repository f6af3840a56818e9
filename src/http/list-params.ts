import { z } from 'zod';

/** `queries[0]=…` as the SDKs send them (a single one may arrive as a bare string). */
export const queriesParam = z
  .union([z.array(z.string().max(4096)), z.string().max(4096).transform((one) => [one])])
  .default([]);

/** `total=false` skips counting; the query string carries it as text. */
export const totalParam = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])], { error: 'Value must be a valid boolean' })
  .default(true)
  .transform((value) => value === true || value === 'true' || value === '1');
