/** Datetimes travel as `YYYY-MM-DDTHH:MM:SS.mmm+00:00`, the format the SDKs parse. */
export function formatDateTime(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}

export function nowDateTime(): string {
  return formatDateTime(new Date());
}

/** Parses an ISO-8601 date or datetime; undefined when it is not one. */
export function parseDateTime(value: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
