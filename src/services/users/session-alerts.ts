import { findProject } from '../../data/platform/projects.js';
import { readProjectSetting } from '../../data/platform/settings.js';
import { listUserSessions } from '../../data/project/sessions.js';
import type { SessionRow, UserRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import { sendTemplatedMail } from '../messages/index.js';
import { describeUserAgent } from './user-agent.js';
import { POLICY_SETTINGS } from '../../core/policy-settings.js';

/** Sessions nobody signs in to: an anonymous one has no address, a server makes its own. */
const SILENT_PROVIDERS = new Set(['anonymous', 'server']);

/**
 * Under the session-alert policy, mails the user about a session just opened. As Appwrite
 * does, a user's only session (the one right after signing up) raises no alert.
 */
export async function sendSessionAlert(deps: ServiceDeps, projectId: string, user: UserRow, session: SessionRow, locale?: string): Promise<void> {
  if (!user.email || SILENT_PROVIDERS.has(session.provider)) return;
  if ((await readProjectSetting(deps.db.platform, projectId, POLICY_SETTINGS.sessionAlert)) !== true) return;
  const sessions = await listUserSessions(deps.db.project(projectId), user.id);
  if (sessions.length <= 1) return;

  const project = await findProject(deps.db.platform, projectId);
  const client = describeUserAgent(session.user_agent);
  const clientName = [client.clientName, client.clientVersion].filter(Boolean).join(' ');
  const os = [client.osName, client.osVersion].filter(Boolean).join(' ');
  const agent = [clientName || session.user_agent || 'an unknown client', os ? `on ${os}` : ''].filter(Boolean).join(' ');
  const [date = '', time = ''] = session.created_at.split('T');
  await sendTemplatedMail(deps, {
    projectId,
    template: 'sessionAlert',
    ...(locale ? { locale } : {}),
    to: { email: user.email, name: user.name },
    variables: {
      user: user.name || user.email,
      project: project?.name ?? projectId,
      ip: session.ip,
      // Sessions carry no location yet (see the session model), so the country is Appwrite's unknown.
      country: 'Unknown',
      agent,
      agentClient: clientName,
      agentOs: os,
      agentDevice: client.deviceName,
      date,
      time: `${time.slice(0, 8)} UTC`,
    },
  });
}
