import { randomBytes } from 'node:crypto';
import { AppError } from '../../core/errors.js';
import { equalSecrets, sha256 } from '../../core/secrets.js';
import { countUsers } from '../../data/project/users.js';
import { readProjectSetting, takeProjectSetting, writeProjectSetting } from '../../data/platform/settings.js';
import type { ServiceDeps } from '../deps.js';
import { DEFAULT_CONSOLE_SIGN_UP } from '../../core/console-sign-up.js';

/** The built-in project whose users are the administrators. */
export const CONSOLE_PROJECT = 'console';

/** How a console account comes to be. */
export type ConsoleSignUpPath =
  | { via: 'self'; setupToken?: string | undefined }
  | { via: 'invitation' }
  /** The server's operator, with `plinth admin create`. */
  | { via: 'operator' };

/** The hash of the one-time setup token, kept while no administrator exists. */
const SETUP_TOKEN_SETTING = 'console.setupToken';

/**
 * Refuses a console sign-up the policy does not allow. Returns an undo for a setup token it
 * spent, for when creating the account then fails.
 */
export async function admitConsoleSignUp(deps: ServiceDeps, email: string | null, path: ConsoleSignUpPath): Promise<() => Promise<void>> {
  const nothing = async () => {};
  if (path.via === 'operator') return nothing;
  const policy = deps.consoleSignUp ?? DEFAULT_CONSOLE_SIGN_UP;
  if (!email) throw new AppError('user_anonymous_console_prohibited');
  const listed = policy.emails.has(email);
  if (policy.emails.size > 0 && !listed) throw new AppError('user_email_not_whitelisted');
  if (path.via === 'invitation' || policy.mode === 'open' || (policy.mode === 'invite' && listed)) return nothing;
  if (path.setupToken && (await spendSetupToken(deps, path.setupToken))) {
    return () => writeProjectSetting(deps.db.platform, CONSOLE_PROJECT, SETUP_TOKEN_SETTING, sha256(path.setupToken!));
  }
  throw new AppError('user_console_count_exceeded');
}

/**
 * While no administrator exists, a fresh one-time token for the first sign-up (each start
 * replaces the last one); undefined once an administrator exists.
 */
export async function issueConsoleSetupToken(deps: ServiceDeps): Promise<string | undefined> {
  if ((await countUsers(deps.db.project(CONSOLE_PROJECT))) > 0) return undefined;
  const token = randomBytes(24).toString('base64url');
  await writeProjectSetting(deps.db.platform, CONSOLE_PROJECT, SETUP_TOKEN_SETTING, sha256(token));
  return token;
}

/** Spends the token: true for exactly one caller while it is valid and no administrator exists. */
async function spendSetupToken(deps: ServiceDeps, token: string): Promise<boolean> {
  const stored = await readProjectSetting(deps.db.platform, CONSOLE_PROJECT, SETUP_TOKEN_SETTING);
  if (typeof stored !== 'string' || !equalSecrets(sha256(token), stored)) return false;
  if ((await countUsers(deps.db.project(CONSOLE_PROJECT))) > 0) return false;
  // Deleting the row with the expected value decides the race between two sign-ups.
  return takeProjectSetting(deps.db.platform, CONSOLE_PROJECT, SETUP_TOKEN_SETTING, stored);
}
