/** Appwrite's wording, its bounds written as whole numbers with thousands separators. */
export function rangeError(key: string, min: number | bigint, max: number | bigint): string {
  return `Attribute "${key}" has invalid format. Value must be a valid range between ${wholeNumber(min)} and ${wholeNumber(max)}`;
}

function wholeNumber(value: number | bigint): string {
  // Halves round away from zero, as Appwrite's formatting does (Math.round would take -1.5 to -1).
  const whole = typeof value === 'bigint' ? value : Math.sign(value) * Math.round(Math.abs(value));
  return whole.toLocaleString('en-US', { maximumFractionDigits: 0 });
}
