import { adoptFirstAdministrator } from '../services/teams/index.js';
import { CONSOLE_PROJECT, createUser, toUserModel } from '../services/users/index.js';
import type { CliContext } from './context.js';
import { optionalFlag, requiredFlag, type Flags } from './flags.js';
import { printResult, UsageError } from './output.js';
import { withServices } from './with-services.js';

/** The server's operator adds an administrator (a user of the console project), whatever the sign-up policy. */
export async function adminCreate(flags: Flags, cli: CliContext): Promise<void> {
  const email = requiredFlag(flags, 'email');
  const password = requiredFlag(flags, 'password');
  if (password.length < 8) throw new UsageError('--password must be at least 8 characters');
  const input = { userId: 'unique()', email, password, name: optionalFlag(flags, 'name') ?? '' };
  const row = await withServices(cli, async (deps) => {
    const created = await createUser(deps, CONSOLE_PROJECT, input, 'specific', { via: 'operator' });
    await adoptFirstAdministrator(deps, created.id);
    return created;
  });
  const admin = toUserModel(row, { withPassword: false });
  printResult(cli, flags.json === true, admin, () => `Created administrator ${admin.$id} (${admin.email})`);
}
