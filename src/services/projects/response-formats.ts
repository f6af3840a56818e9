import { isFormatBefore } from '../../core/response-format.js';
import { toWebhookModelV18 } from '../webhooks/index.js';
import type { MockNumberModel, ProjectModel } from './models.js';
import { toPlatformModelV18 } from './platform-models.js';

/** The 1.8 mock number, which later versions renamed and dated. */
interface MockNumberModelV18 {
  phone: string;
  otp: string;
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
  if (!isFormatBefore(format, 1, 9)) return payload;
  if (isProjectModel(payload)) return toV18(payload);
  const list = payload as { projects?: unknown } | null;
  if (list !== null && typeof list === 'object' && Array.isArray(list.projects)) {
    return { ...list, projects: list.projects.map((project: unknown) => (isProjectModel(project) ? toV18(project) : project)) };
  }
  return payload;
}
