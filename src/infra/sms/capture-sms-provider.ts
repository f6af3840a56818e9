import { writeCaptured } from '../mail/capture-folder.js';
import type { SmsProvider } from './sms-provider.js';

/** A text message as `plinth sms list` shows it. */
export interface CapturedSms {
  id: string;
  createdAt: string;
  to: string;
  from: string;
  text: string;
}

/** Without a provider, messages are filed under `<dataDir>/sms/<projectId>/` for developers to read. */
export function createCaptureSmsProvider(dataDir: string, from: string): SmsProvider {
  return {
    async send(sms) {
      const { path } = await writeCaptured(dataDir, 'sms', sms.projectId, { to: sms.to, from, text: sms.text });
      return { capturedAt: path };
    },
  };
}
