import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { SHA_VERSIONS } from '../../infra/hashing/imported.js';
import type { StoredPassword } from '../../infra/hashing/passwords.js';
import type { ServiceDeps } from '../deps.js';
import { createManagedUser } from './admin-users.js';
import { importedHash } from './imported-hashes.js';
import { emailParam, nameParam, userIdParam } from './params.js';

const write = { scope: 'users.write' };

/** Every import names the user and carries the hash as `password`. */
const base = { userId: userIdParam, email: emailParam, password: z.string().min(1).max(1024), name: nameParam.optional() };
const plainBody = z.object(base);
const shaBody = z.object({ ...base, passwordVersion: z.enum(Object.keys(SHA_VERSIONS) as [string, ...string[]]).optional() });
const count = z.number({ error: 'Value must be a valid integer' }).int().min(1);
const scryptBody = z.object({
  ...base,
  passwordSalt: z.string().max(128),
  passwordCpu: count,
  passwordMemory: count,
  passwordParallel: count,
  passwordLength: count.max(1024),
});
const scryptModBody = z.object({
  ...base,
  passwordSalt: z.string().max(128),
  passwordSaltSeparator: z.string().max(128),
  passwordSignerKey: z.string().max(128),
});

/** Users moved from other systems with their password hashes, verified at sign-in by the matching algorithm. */
export function importRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    const route = <Body extends z.infer<typeof plainBody>>(path: string, body: z.ZodType<Body>, hashOf: (body: Body) => StoredPassword) =>
      app.post(path, { config: write, schema: { body } }, async (request, reply) => {
        const parsed = request.body as Body;
        const { userId, email, name } = parsed;
        const model = await createManagedUser(deps, request.ctx.projectId, { userId, email, name, hashed: hashOf(parsed) });
        return reply.code(201).send(model);
      });

    route('/users/argon2', plainBody, (b) => importedHash.argon2(b.password));
    route('/users/bcrypt', plainBody, (b) => importedHash.bcrypt(b.password));
    route('/users/md5', plainBody, (b) => importedHash.md5(b.password));
    route('/users/phpass', plainBody, (b) => importedHash.phpass(b.password));
    route('/users/sha', shaBody, (b) => importedHash.sha(b.password, b.passwordVersion));
    route('/users/scrypt', scryptBody, (b) =>
      importedHash.scrypt(b.password, {
        salt: b.passwordSalt,
        costCpu: b.passwordCpu,
        costMemory: b.passwordMemory,
        costParallel: b.passwordParallel,
        length: b.passwordLength,
      }),
    );
    route('/users/scrypt-modified', scryptModBody, (b) =>
      importedHash.scryptModified(b.password, { salt: b.passwordSalt, saltSeparator: b.passwordSaltSeparator, signerKey: b.passwordSignerKey }),
    );
  };
}
