// Dates in lists, exactly as toLocaleString()/toLocaleDateString() give them (their default options), by one formatter each:
// those methods build a new Intl.DateTimeFormat per call, about a millisecond each on a cold page.
const dateTime = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
const dateOnly = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'numeric', day: 'numeric' });

/** Date and time in the browser's locale, e.g. 12/8/2026, 4:19:28 AM. */
export function formatDateTime(value: string | number | Date): string {
  return dateTime.format(new Date(value));
}

/** The date alone in the browser's locale, e.g. 12/8/2026. */
export function formatDate(value: string | number | Date): string {
  return dateOnly.format(new Date(value));
}
