import { Messaging, Users, type Client, type Models } from '@appwrite.io/console';
import { projectClient } from './api';

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
