/** Functions answer on `<label>.functions.<PLINTH_DOMAIN>`; this is the domain unless configured. */
export const DEFAULT_FUNCTIONS_DOMAIN = 'functions.localhost';
/** A DNS label holds at most 63 characters. */
const MAX_LABEL = 63;
/** Characters an id keeps in a host label (DNS is case-blind, so ids are lowered; a dot would start another label). */
const LABEL_CHARS = /^[a-z0-9_-]+$/;
/** Joins function and project in the long form; no bare name and no project part ever holds it. */
export const LONG_FORM_SEPARATOR = '--';

/** The host labels a function may claim; either is absent when the ids do not fit it. */
export interface FunctionHostLabels {
  /** `<functionId>`: first come, first served across projects. */
  bare?: string;
  /** `<functionId>--<projectId>`: belongs to this one function, whichever project asks first. */
  long?: string;
}

/** Browsers read `xn--` labels as punycode, which a function's name is not. */
function fitsLabel(label: string): boolean {
  return label.length <= MAX_LABEL && LABEL_CHARS.test(label) && !label.startsWith('xn--');
}

/**
 * A function's host labels. The long form splits one way only: its project part holds no `--` and
 * starts with no `-` (ids start with a letter or digit), so the last `--` of a label is the separator
 * and two functions never share a long form unless their ids differ in case only. A bare name
 * holds no `--`, so it never equals any function's long form: no project can take another's.
 */
export function functionHostLabels(functionId: string, projectId: string): FunctionHostLabels {
  const fn = functionId.toLowerCase();
  const project = projectId.toLowerCase();
  const labels: FunctionHostLabels = {};
  if (fitsLabel(fn) && !fn.includes(LONG_FORM_SEPARATOR)) labels.bare = fn;
  const long = `${fn}${LONG_FORM_SEPARATOR}${project}`;
  if (!project.includes(LONG_FORM_SEPARATOR) && !project.startsWith('-') && fitsLabel(long)) labels.long = long;
  return labels;
}

/** Whether a hostname is the functions domain or lies under it: user code answers there, never the API. */
export function isFunctionHostname(hostname: string, functionsDomain: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === functionsDomain || name.endsWith(`.${functionsDomain}`);
}
