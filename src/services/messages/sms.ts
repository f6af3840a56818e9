import type { ServiceDeps } from '../deps.js';
import type { OutgoingSms } from '../../infra/sms/sms-provider.js';
import { openPayload, sealPayload } from './sealed-payload.js';

export const MESSAGING_QUEUE = 'messaging';

export interface SmsDelivery {
  to: string;
  /** Set when no provider is configured and the message was written to this file. */
  path?: string;
}

export async function sendSms(deps: ServiceDeps, message: OutgoingSms): Promise<void> {
  const job: OutgoingSms = { projectId: message.projectId, to: message.to, text: message.text };
  await deps.queue.enqueue(MESSAGING_QUEUE, sealPayload(deps.secretKey, job), { projectId: message.projectId });
}

/** Hands one queued message to the provider; a throw leaves the job to retry. */
export async function deliverSms(deps: ServiceDeps, payload: unknown): Promise<SmsDelivery> {
  const sms = openPayload<OutgoingSms>(deps.secretKey, payload);
  const receipt = await deps.sms.send(sms);
  return { to: sms.to, ...(receipt.capturedAt ? { path: receipt.capturedAt } : {}) };
}
