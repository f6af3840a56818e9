import { z } from 'zod';
import { parseListQueries } from '../core/queries.js';
import {
  ENABLED_POLICY_IDS,
  getPolicy,
  getProject,
  listPolicies,
  POLICY_IDS,
  TOTAL_POLICY_IDS,
  updatePolicy,
  type PolicyId,
  type PolicyModel,
  type PolicyUpdate,
} from '../services/projects/index.js';
import { updateSmtp, type SmtpUpdate } from '../services/messages/index.js';
import type { CliContext } from './context.js';
import { optionalFlag, requiredFlag, type Flags } from './flags.js';
import { printResult, UsageError } from './output.js';
import { withServices } from './with-services.js';


/** Character classes of password-strength, and the membership details, flag by flag. */
const STRENGTH_FLAGS = ['uppercase', 'lowercase', 'number', 'symbols'] as const;
const MEMBERSHIP_FLAGS = { 'user-id': 'userId', 'user-email': 'userEmail', 'user-phone': 'userPhone', 'user-name': 'userName', 'user-mfa': 'userMFA' } as const;

/** Every policy flag, so a flag the chosen policy does not take is refused rather than ignored. */
const POLICY_FLAGS = ['enabled', 'total', 'duration', 'min', ...STRENGTH_FLAGS, ...Object.keys(MEMBERSHIP_FLAGS)];

function includes<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}

function integerFlag(flags: Flags, name: string): number {
  const raw = requiredFlag(flags, name);
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} takes a whole number, got "${raw}"`);
  return Number(raw);
}

function readPolicyUpdate(id: PolicyId, flags: Flags): PolicyUpdate {
  if (includes(ENABLED_POLICY_IDS, id)) {
    const enabled = requiredFlag(flags, 'enabled');
    if (enabled !== 'true' && enabled !== 'false') throw new UsageError(`--enabled takes true or false, got "${enabled}"`);
    return { id, enabled: enabled === 'true' };
  }
  if (includes(TOTAL_POLICY_IDS, id)) {
    // 0 or "off" turns the limit off, as a null total does through the API.
    const off = optionalFlag(flags, 'total') === 'off' || optionalFlag(flags, 'total') === '0';
    return { id, total: off ? null : integerFlag(flags, 'total') };
  }
  if (id === 'session-duration') return { id, duration: integerFlag(flags, 'duration') };
  if (id === 'password-strength') {
    // The command states the whole policy: classes not named are no longer required.
    return {
      id,
      strength: {
        min: flags.min === undefined ? 8 : integerFlag(flags, 'min'),
        ...Object.fromEntries(STRENGTH_FLAGS.map((flag) => [flag, flags[flag] === true])),
      },
    };
  }
  // membership-privacy: the details named are shown to other members, the rest hidden.
  return { id, visible: Object.fromEntries(Object.entries(MEMBERSHIP_FLAGS).map(([flag, field]) => [field, flags[flag] === true])) };
}

/** The flags each policy takes, for refusing the others. */
function flagsFor(id: PolicyId): string[] {
  if (includes(ENABLED_POLICY_IDS, id)) return ['enabled'];
  if (includes(TOTAL_POLICY_IDS, id)) return ['total'];
  if (id === 'session-duration') return ['duration'];
  if (id === 'password-strength') return ['min', ...STRENGTH_FLAGS];
  return Object.keys(MEMBERSHIP_FLAGS);
}

function describePolicy(policy: PolicyModel): string {
  const { $id, ...fields } = policy;
  return `${$id}\t${Object.entries(fields).map(([name, value]) => `${name}=${String(value)}`).join(' ')}`;
}

/** Sets one of a project's auth policies, as PATCH /project/policies/<id> does. */
export async function policySet(flags: Flags, cli: CliContext): Promise<void> {
  const projectId = requiredFlag(flags, 'project');
  const id = requiredFlag(flags, 'policy');
  if (!includes(POLICY_IDS, id)) throw new UsageError(`--policy must be one of ${POLICY_IDS.join(', ')}`);
  const allowed = flagsFor(id);
  const stray = POLICY_FLAGS.find((flag) => flags[flag] !== undefined && !allowed.includes(flag));
  if (stray) throw new UsageError(`--${stray} does not apply to ${id}; it takes ${allowed.map((flag) => `--${flag}`).join(', ')}`);
  const update = readPolicyUpdate(id, flags);
  const policy = await withServices(cli, async (deps) => {
    await updatePolicy(deps, projectId, update);
    return getPolicy(deps, projectId, id);
  });
  printResult(cli, flags.json === true, policy, () => describePolicy(policy));
}

/** Lists every policy of a project with what is in effect. */
export async function policyList(flags: Flags, cli: CliContext): Promise<void> {
  const projectId = requiredFlag(flags, 'project');
  const list = await withServices(cli, async (deps) => {
    await getProject(deps, projectId);
    return listPolicies(deps, projectId, parseListQueries([], { attributes: [] }), true);
  });
  printResult(cli, flags.json === true, list, () => list.policies.map(describePolicy).join('\n'));
}

const emailFlag = z.email();

function readSmtpUpdate(flags: Flags): SmtpUpdate {
  const update: SmtpUpdate = { enabled: flags.disable !== true };
  const text = { host: 'host', username: 'username', password: 'password', 'sender-name': 'senderName', 'reply-to-name': 'replyToName' } as const;
  for (const [flag, field] of Object.entries(text)) {
    const value = optionalFlag(flags, flag);
    if (value !== undefined) update[field] = value;
  }
  for (const [flag, field] of [['sender-email', 'senderEmail'], ['reply-to-email', 'replyToEmail']] as const) {
    const value = optionalFlag(flags, flag);
    if (value === undefined) continue;
    if (value !== '' && !emailFlag.safeParse(value).success) throw new UsageError(`--${flag} must be an email address, got "${value}"`);
    update[field] = value;
  }
  if (flags.port !== undefined) {
    const port = integerFlag(flags, 'port');
    if (port < 1 || port > 65535) throw new UsageError(`--port must be between 1 and 65535, got ${port}`);
    update.port = port;
  }
  const secure = optionalFlag(flags, 'secure');
  if (secure !== undefined) {
    if (secure !== 'tls' && secure !== 'ssl' && secure !== '') throw new UsageError(`--secure takes tls, ssl or '' (none), got "${secure}"`);
    update.secure = secure;
  }
  return update;
}

/**
 * Sets a project's own SMTP server, as PATCH /project/smtp does: enabling it (the default;
 * `--disable` turns it off and keeps the settings) first checks that the server accepts
 * the connection and the credentials. Fields not given keep their value.
 */
export async function smtpSet(flags: Flags, cli: CliContext): Promise<void> {
  const projectId = requiredFlag(flags, 'project');
  const update = readSmtpUpdate(flags);
  const project = await withServices(cli, async (deps) => {
    await getProject(deps, projectId);
    await updateSmtp(deps, projectId, update);
    return getProject(deps, projectId);
  });
  const smtp = {
    enabled: project.smtpEnabled,
    host: project.smtpHost,
    port: project.smtpPort,
    username: project.smtpUsername,
    senderEmail: project.smtpSenderEmail,
    senderName: project.smtpSenderName,
    replyToEmail: project.smtpReplyToEmail,
    replyToName: project.smtpReplyToName,
    secure: project.smtpSecure,
  };
  printResult(cli, flags.json === true, smtp, () =>
    smtp.enabled
      ? `SMTP enabled for ${projectId}: ${smtp.host}:${smtp.port}, sending as ${smtp.senderEmail}`
      : `SMTP disabled for ${projectId}`,
  );
}
