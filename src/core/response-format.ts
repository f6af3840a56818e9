/** The header an SDK names the model version it was generated for with. */
export const RESPONSE_FORMAT_HEADER = 'x-appwrite-response-format';

/**
 * Whether a `major.minor[.patch]` response format is older than `major.minor`; an absent or
 * unreadable one is the current format, never older.
 */
export function isFormatBefore(format: unknown, major: number, minor: number): boolean {
  if (typeof format !== 'string') return false;
  const match = /^(\d+)\.(\d+)/.exec(format.trim());
  if (!match) return false;
  const [formatMajor, formatMinor] = [Number(match[1]), Number(match[2])];
  return formatMajor < major || (formatMajor === major && formatMinor < minor);
}
