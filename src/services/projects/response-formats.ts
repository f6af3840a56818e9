import { toWebhookModelV18 } from '../webhooks/index.js';
import type { MockNumberModel, ProjectModel } from './models.js';
import { toPlatformModelV18 } from './platform-models.js';

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

function isProjectModel(value: unknown): value is ProjectModel {
  return value !== null && typeof value === 'object' && Array.isArray((value as { authMockNumbers?: unknown }).authMockNumbers);
}

function toMockNumberV18(number: MockNumberModel): MockNumberModelV18 {
  return { phone: number.number, otp: number.otp };
}

/** 1.8 names the reply-to address `smtpReplyTo`, and lists webhooks and platforms in their 1.8 shapes. */
function toV18(project: ProjectModel): object {
  return {
    ...project,
    authMockNumbers: project.authMockNumbers.map(toMockNumberV18),
    smtpReplyTo: project.smtpReplyToEmail,
    webhooks: project.webhooks.map(toWebhookModelV18),
    platforms: project.platforms.map(toPlatformModelV18),
  };
}

/**
 * A project model (or a list of them) as the client's response format has it: SDKs made for 1.8
 * (the console SDK among them) read mock numbers as `{phone, otp}`, as Appwrite's response filter
 * gives them, and the 1.8 names of other fields. Other payloads pass unchanged.
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
