/** The mails Plinth sends, each with a built-in text a project may replace. */
export type MailTemplate = 'verification' | 'magicSession' | 'recovery' | 'invitation' | 'mfaChallenge' | 'sessionAlert' | 'otpSession';

/** One mail to send from a template: to whom, in which language, with what filled in. */
export interface TemplatedMail {
  projectId: string;
  template: MailTemplate;
  /** Only 'en' templates exist for now; unknown locales fall back to English. */
  locale?: string;
  to: { email: string; name: string };
  /** Filled into the template: url (a link), otp (a code), user, project, team, inviter, ip, agent, expire… */
  variables: Record<string, string>;
}

/**
 * A template as a project may later override it: a subject and a plain-text message with
 * `{{name}}` placeholders. Paragraphs are separated by blank lines; the HTML part is built
 * from them, so one text serves both parts.
 */
export interface MailTemplateText {
  subject: string;
  message: string;
}

// Subjects and each mail's opening line say what Appwrite's built-in mails say, so apps and tests
// that look for them find them; the rest is written for Plinth.
const ENGLISH: Record<MailTemplate, MailTemplateText> = {
  verification: {
    subject: 'Account Verification for {{project}}',
    message: `Verify your email to activate your {{project}} account.

Hi {{user}},

Open the link below to confirm that this address belongs to your {{project}} account.

{{url}}

Did not sign up? Then nothing needs doing; the link simply expires.`,
  },
  magicSession: {
    subject: '{{project}} Login',
    message: `Sign in to {{project}} with your secure link. Expires in 1 hour.

Hi {{user}},

Use the link below to sign in to {{project}}. It works once.

{{url}}

{{phraseLine}}

If you did not try to sign in, ignore this message and nobody gets in.`,
  },
  recovery: {
    subject: 'Password Reset for {{project}}',
    message: `Reset your {{project}} password using the link.

Hi {{user}},

Someone asked to reset the password of your {{project}} account. Choose a new one here:

{{url}}

If that was not you, keep your current password; it still works.`,
  },
  invitation: {
    subject: 'Invitation to {{team}} Team at {{project}}',
    message: `{{inviter}} invited you to join {{team}} at {{project}}

Hi {{user}},

{{inviter}} would like you to join the team {{team}} on {{project}}. Accept the invitation here:

{{url}}

Not interested? Ignore this message and the invitation lapses.`,
  },
  mfaChallenge: {
    subject: 'Verification Code for {{project}}',
    message: `Use code {{otp}} for two-step verification in {{project}}. Expires in 15 minutes.

Hi {{user}},

Enter this code to finish signing in to {{project}}:

{{otp}}

If you are not signing in right now, change your password: someone else knows it.`,
  },
  sessionAlert: {
    subject: 'Security alert: new session on your {{project}} account',
    message: `New login detected on {{project}} at {{time}}.

Hi {{user}},

Your {{project}} account was just signed in to:

Device: {{agent}}
IP address: {{ip}}
Country: {{country}}

If this was you, all is well. If not, change your password and end the sessions you do not recognise.`,
  },
  otpSession: {
    subject: 'OTP for {{project}} Login',
    message: `Use OTP {{otp}} to sign in to {{project}}. Expires in 15 minutes.

Hi {{user}},

Your code to sign in to {{project}} is:

{{otp}}

{{phraseLine}}

If you did not ask for it, ignore this message.`,
  },
};

const BY_LOCALE: Record<string, Record<MailTemplate, MailTemplateText>> = { en: ENGLISH };

/** The built-in text of a template; a locale without translations falls back to English. */
export function builtInTemplate(template: MailTemplate, locale = 'en'): MailTemplateText {
  const language = locale.toLowerCase().split(/[-_]/)[0] ?? 'en';
  return (BY_LOCALE[locale] ?? BY_LOCALE[language] ?? ENGLISH)[template];
}
