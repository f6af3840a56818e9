/**
 * Who may become an administrator by signing up on their own (POST /account and the other
 * sign-up routes of the console project): nobody (`closed`), only the emails of the allow-list
 * (`invite`), or anyone (`open`, still limited by the allow-list when one is set). Invitations
 * to an organization always create the invitee's account, with the invited email.
 */
export type ConsoleSignUpMode = 'closed' | 'invite' | 'open';

export interface ConsoleSignUpPolicy {
  mode: ConsoleSignUpMode;
  /** Lower-cased emails; empty: no allow-list. */
  emails: ReadonlySet<string>;
}

export const DEFAULT_CONSOLE_SIGN_UP: ConsoleSignUpPolicy = { mode: 'closed', emails: new Set() };
