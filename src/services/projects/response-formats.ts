import type { MockNumberModel } from './models.js';

/** The header an SDK names the model version it was generated for with. */
export const RESPONSE_FORMAT_HEADER = 'x-appwrite-response-format';

/** The 1.8 mock number, which later versions renamed and dated. */
interface MockNumberModelV18 {
  phone: string;
  otp: string;
}

/** Whether a `major.minor.patch` format is older than 1.9.0; an absent or unreadable one is current. */
function isBefore19(format: unknown): boolean {
  if (typeof format !== 'string') return false;
  const match = /^(\d+)\.(\d+)/.exec(format.trim());
  if (!match) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major < 1 || (major === 1 && minor < 9);
}

function isProjectModel(value: unknown): value is { authMockNumbers: MockNumberModel[] } {
  return value !== null && typeof value === 'object' && Array.isArray((value as { authMockNumbers?: unknown }).authMockNumbers);
}

function toV18(project: { authMockNumbers: MockNumberModel[] }): object {
  const authMockNumbers: MockNumberModelV18[] = project.authMockNumbers.map((number) => ({ phone: number.number, otp: number.otp }));
  return { ...project, authMockNumbers };
}

/**
 * A project model (or a list of them) as the client's response format has it: SDKs made for 1.8
 * (the console SDK among them) read mock numbers as `{phone, otp}`, as Appwrite's response filter
 * gives them. Other payloads pass unchanged.
 */
export function inResponseFormat(format: unknown, payload: unknown): unknown {
  if (!isBefore19(format)) return payload;
  if (isProjectModel(payload)) return toV18(payload);
  const list = payload as { projects?: unknown } | null;
  if (list !== null && typeof list === 'object' && Array.isArray(list.projects)) {
    return { ...list, projects: list.projects.map((project: unknown) => (isProjectModel(project) ? toV18(project) : project)) };
  }
  return payload;
}
