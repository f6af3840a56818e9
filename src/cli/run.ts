import { parseArgs } from 'node:util';
import { keyCreate, projectCreate, projectList, routes, serve, worker } from './commands.js';
import { adminCreate } from './admin-commands.js';
import type { CliContext } from './context.js';
import type { Flags } from './flags.js';
import { mailList, smsList } from './message-commands.js';
import { oauthList, oauthSet } from './oauth-commands.js';
import { reportFailure, UsageError } from './output.js';
import { platformAdd, platformList } from './platform-commands.js';
import { policyList, policySet, smtpSet } from './project-settings-commands.js';

const USAGE = `Usage: plinth <command> [options]

Commands:
  serve                                   start the API server (PORT, PLINTH_DATA_DIR, PLINTH_DB)
  worker                                  run the background workers without the API server
  admin create --email EMAIL --password PASSWORD [--name NAME]
                                          create an administrator (a user of the console project)
  project create --id ID --name NAME      create a project
  project list                            list projects
  key create --project ID --name NAME --scopes all|scope,scope [--expire ISO-DATE]
                                          create an API key and print its secret once
  platform add --project ID --type web|apple|android|windows|linux --name NAME
               (--hostname HOST | --identifier ID) [--id ID]
                                          register a platform: a web hostname (CORS) or an app id
  platform list --project ID              list a project's platforms
  mail list --project ID                  mail written to files while no SMTP server is set, newest last
  sms list --project ID                   text messages written to files while no SMS provider is set
  oauth set --project ID --provider NAME [--client-id ID] [--client-secret SECRET]
            [--well-known URL] [--extra key=value,...] [--disable]
                                          configure an OAuth2 sign-in provider (enabled unless --disable)
  oauth list --project ID                 list a project's OAuth2 providers
  smtp set --project ID [--host HOST] [--port N] [--username USER] [--password PASS]
           [--sender-email EMAIL] [--sender-name NAME] [--reply-to-email EMAIL]
           [--reply-to-name NAME] [--secure tls|ssl|''] [--disable]
                                          set a project's SMTP server (enabled unless --disable,
                                          after checking the server accepts the login)
  policy set --project ID --policy ID [--enabled true|false] [--total N|off]
             [--duration SECONDS] [--min N --uppercase --lowercase --number --symbols]
             [--user-id --user-name --user-email --user-phone --user-mfa]
                                          set an auth policy; for password-strength and
                                          membership-privacy, what is not named is turned off
  policy list --project ID                list a project's auth policies
  routes                                  list every API route
  help                                    show this text

Options:
  --json                                  print JSON only, for scripts
`;

const OPTIONS = {
  json: { type: 'boolean' },
  id: { type: 'string' },
  name: { type: 'string' },
  project: { type: 'string' },
  scopes: { type: 'string' },
  expire: { type: 'string' },
  type: { type: 'string' },
  hostname: { type: 'string' },
  identifier: { type: 'string' },
  provider: { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  'well-known': { type: 'string' },
  extra: { type: 'string' },
  disable: { type: 'boolean' },
  host: { type: 'string' },
  port: { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  email: { type: 'string' },
  'sender-email': { type: 'string' },
  'sender-name': { type: 'string' },
  'reply-to-email': { type: 'string' },
  'reply-to-name': { type: 'string' },
  secure: { type: 'string' },
  policy: { type: 'string' },
  enabled: { type: 'string' },
  total: { type: 'string' },
  duration: { type: 'string' },
  min: { type: 'string' },
  uppercase: { type: 'boolean' },
  lowercase: { type: 'boolean' },
  number: { type: 'boolean' },
  symbols: { type: 'boolean' },
  'user-id': { type: 'boolean' },
  'user-name': { type: 'boolean' },
  'user-email': { type: 'boolean' },
  'user-phone': { type: 'boolean' },
  'user-mfa': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const COMMANDS: Record<string, (flags: Flags, cli: CliContext) => Promise<void>> = {
  serve: () => serve(),
  worker: () => worker(),
  'admin create': adminCreate,
  'project create': projectCreate,
  'project list': projectList,
  'key create': keyCreate,
  'platform add': platformAdd,
  'platform list': platformList,
  'mail list': mailList,
  'sms list': smsList,
  'oauth set': oauthSet,
  'oauth list': oauthList,
  'smtp set': smtpSet,
  'policy set': policySet,
  'policy list': policyList,
  routes,
};

/** Runs one command line (without the program's name) and returns its exit code. */
export async function runCli(argv: string[], cli: CliContext): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    return reportFailure(cli, new UsageError((error as Error).message));
  }
  const { values, positionals } = parsed;
  const [first, second] = positionals;
  if (!first || first === 'help' || values.help) {
    cli.stdout.write(USAGE);
    return 0;
  }
  const command = COMMANDS[`${first} ${second ?? ''}`.trim()] ?? COMMANDS[first];
  if (!command) return reportFailure(cli, new UsageError(`unknown command "${positionals.join(' ')}"`));
  try {
    await command(values, cli);
    return 0;
  } catch (error) {
    return reportFailure(cli, error);
  }
}
