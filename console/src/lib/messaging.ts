import { MessagePriority, Messaging, Users, type Client, type Models } from '@appwrite.io/console';
import { projectClient } from './api';
import { formatPairs, parsePairs } from './key-values';

/** The project's messaging as its administrator; only the lazily loaded messaging pages import it. */
export function projectMessaging(projectId: string): { client: Client; messaging: Messaging; users: Users } {
  const client = projectClient(projectId);
  return { client, messaging: new Messaging(client), users: new Users(client) };
}

/** Roles or IDs typed as a list: commas or lines between them. */
export function splitList(text: string): string[] {
  return text.split(/[,\n]/).map((entry) => entry.trim()).filter(Boolean);
}

/** A message's one line for a list: the email's subject, the push's title, or the SMS text. */
export function messageSummary(message: Models.Message): string {
  const data = message.data as Record<string, unknown>;
  const line = data.subject ?? data.title ?? data.content ?? data.body ?? '';
  return typeof line === 'string' && line !== '' ? line : message.$id;
}

/** Sends a draft at once: each channel has its own update route. */
export function sendDraft(messaging: Messaging, message: Models.Message): Promise<Models.Message> {
  const messageId = message.$id;
  if (message.providerType === 'email') return messaging.updateEmail({ messageId, draft: false });
  if (message.providerType === 'sms') return messaging.updateSms({ messageId, draft: false });
  return messaging.updatePush({ messageId, draft: false });
}

/** A push's options beyond title and body, as the composer's fields hold them. */
export type PushOptions = {
  data: string;
  action: string;
  image: string[];
  icon: string;
  sound: string;
  color: string;
  tag: string;
  /** Null while the field is empty. */
  badge: number | null;
  contentAvailable: boolean;
  critical: boolean;
  priority: MessagePriority;
};

/** A stored push image is kept with its public URL beside its ids; the composer names it by the ids. */
function imageRefOf(image: unknown): string[] {
  if (typeof image === 'string' && image !== '') return [image];
  if (!image || typeof image !== 'object') return [];
  const { bucketId, fileId } = image as { bucketId?: unknown; fileId?: unknown };
  return typeof bucketId === 'string' && typeof fileId === 'string' ? [`${bucketId}:${fileId}`] : [];
}

/** A message's stored push options back in the composer's fields; a new push has none. */
export function pushOptionsOf(data: Record<string, unknown>): PushOptions {
  const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : '');
  return {
    data: data.data && typeof data.data === 'object' ? formatPairs(data.data as Record<string, unknown>) : '',
    action: text('action'),
    image: imageRefOf(data.image),
    icon: text('icon'),
    sound: text('sound'),
    color: text('color'),
    tag: text('tag'),
    badge: typeof data.badge === 'number' ? data.badge : null,
    contentAvailable: data.contentAvailable === true,
    critical: data.critical === true,
    priority: data.priority === 'normal' ? MessagePriority.Normal : MessagePriority.High,
  };
}

/** A push's options as its page lists them: each one that is set, with its name, in the composer's order. */
export function pushOptionFacts(data: Record<string, unknown>): [name: string, value: string][] {
  const options = pushOptionsOf(data);
  const facts: [string, string][] = [
    ['Data', options.data],
    ['Action', options.action],
    ['Image', options.image.join(', ')],
    ['Icon', options.icon],
    ['Sound', options.sound],
    ['Color', options.color],
    ['Tag', options.tag],
    ['Badge', options.badge === null ? '' : String(options.badge)],
    ['Content available', options.contentAvailable ? 'yes' : 'no'],
    ['Critical', options.critical ? 'yes' : 'no'],
    ['Priority', options.priority],
  ];
  return facts.filter(([, value]) => value !== '');
}

/**
 * The options as createPush and updatePush take them. A new push leaves out what is empty; an
 * edited draft sends empty text, which clears what it had.
 */
export function pushOptionParams(options: PushOptions, editing: boolean) {
  const text = (value: string) => (editing || value !== '' ? value : undefined);
  return {
    data: parsePairs(options.data),
    action: text(options.action),
    image: text(options.image[0] ?? ''),
    icon: text(options.icon),
    sound: text(options.sound),
    color: text(options.color),
    tag: text(options.tag),
    badge: typeof options.badge === 'number' ? options.badge : undefined,
    contentAvailable: options.contentAvailable,
    critical: options.critical,
    priority: options.priority,
  };
}
