import { AppError } from '../../core/errors.js';
import { findTargetsByIds } from '../../data/messaging/topics.js';
import type { EmailAttachment, OutgoingMessage } from '../../infra/messaging/sender.js';
import type { ServiceDeps } from '../deps.js';
import { readStoredFile } from '../storage/index.js';

/** What every batch of a message shares; the recipients are filled in per batch. */
export type MessageContent = (recipients: string[]) => OutgoingMessage;

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** A push image as stored: its signed URL beside the file's ids. */
const imageUrl = (value: unknown): string | undefined =>
  value && typeof value === 'object' ? text((value as { url?: unknown }).url) : text(value);

/** Files named `bucketId:fileId`, read once per message (decrypted and decompressed as stored). */
async function readAttachments(deps: ServiceDeps, projectId: string, names: readonly string[]): Promise<EmailAttachment[]> {
  const files: EmailAttachment[] = [];
  for (const name of names) {
    const [bucketId = '', fileId = ''] = name.split(':');
    const file = await readStoredFile(deps, projectId, bucketId, fileId);
    if (!file) throw new AppError('storage_file_not_found', `Attachment ${name} does not exist.`);
    files.push({ filename: file.name, contentType: file.mimeType, content: file.content });
  }
  return files;
}

async function emailsOf(deps: ServiceDeps, projectId: string, targetIds: readonly string[]): Promise<string[]> {
  const targets = await findTargetsByIds(deps.db.project(projectId), targetIds);
  return targets.filter((target) => target.provider_type === 'email').map((target) => target.identifier);
}

/** Builds the content of a message once, before its recipients are paged through. */
export async function messageContent(deps: ServiceDeps, projectId: string, channel: string, data: Record<string, unknown>): Promise<MessageContent> {
  if (channel === 'email') {
    const cc = await emailsOf(deps, projectId, strings(data.cc));
    const bcc = await emailsOf(deps, projectId, strings(data.bcc));
    const attachments = await readAttachments(deps, projectId, strings(data.attachments));
    return (to) => ({ to, cc, bcc, subject: String(data.subject ?? ''), content: String(data.content ?? ''), html: data.html === true, attachments });
  }
  if (channel === 'sms') return (to) => ({ to, content: String(data.content ?? '') });
  const payload = data.data && typeof data.data === 'object' ? (data.data as Record<string, unknown>) : undefined;
  return (to) => ({
    to,
    title: text(data.title),
    body: text(data.body),
    data: payload ? Object.fromEntries(Object.entries(payload).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)])) : undefined,
    action: text(data.action),
    image: imageUrl(data.image),
    icon: text(data.icon),
    sound: text(data.sound),
    color: text(data.color),
    tag: text(data.tag),
    badge: typeof data.badge === 'number' && data.badge >= 0 ? data.badge : undefined,
    contentAvailable: data.contentAvailable === true,
    critical: data.critical === true,
    // High unless asked otherwise, as Appwrite sends it.
    priority: data.priority === 'normal' ? 'normal' : 'high',
  });
}
