import { readConfig } from '../app/config.js';
import { isValidCustomId } from '../core/ids.js';
import { listCapturedMail, listCapturedSms } from '../services/messages/index.js';
import type { CliContext } from './context.js';
import { requiredFlag, type Flags } from './flags.js';
import { printResult, UsageError } from './output.js';

// Captured messages are files in the data directory: reading them needs no database.

function projectFlag(flags: Flags): string {
  const projectId = requiredFlag(flags, 'project');
  if (!isValidCustomId(projectId)) throw new UsageError(`--project "${projectId}" is not a project id`);
  return projectId;
}

export async function mailList(flags: Flags, cli: CliContext): Promise<void> {
  const mails = await listCapturedMail(readConfig(cli.env).dataDir, projectFlag(flags));
  printResult(cli, flags.json === true, mails, () =>
    mails.length === 0
      ? 'No captured mail.'
      : mails.map((mail) => `${mail.createdAt}\t${mail.template}\t${mail.to}\t${mail.subject}`).join('\n'),
  );
}

export async function smsList(flags: Flags, cli: CliContext): Promise<void> {
  const messages = await listCapturedSms(readConfig(cli.env).dataDir, projectFlag(flags));
  printResult(cli, flags.json === true, messages, () =>
    messages.length === 0
      ? 'No captured text messages.'
      : messages.map((sms) => `${sms.createdAt}\t${sms.to}\t${sms.text.replace(/\s+/g, ' ')}`).join('\n'),
  );
}
