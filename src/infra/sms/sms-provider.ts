/** A text message ready to leave; `projectId` only decides where a capture is filed. */
export interface OutgoingSms {
  projectId: string;
  to: string;
  text: string;
}

export interface SmsReceipt {
  /** Set when the message was written to a file instead of sent. */
  capturedAt?: string;
}

export interface SmsProvider {
  /** Resolves once the provider accepted the message; throws otherwise, so the job is retried. */
  send(sms: OutgoingSms): Promise<SmsReceipt>;
}
