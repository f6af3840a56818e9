import { AppError } from '../../core/errors.js';
import { hasVerifiedAuthenticator } from '../../data/project/authenticators.js';
import { deleteUserAuthenticator } from '../../data/project/authenticators-admin.js';
import type { UserRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import { toUserModel } from './models.js';
import { userEvent } from './events.js';
import { commitWithEvents } from '../event-outbox.js';
import { readRecoveryCodes } from './recovery-codes.js';

/** Which second factors the user could use now. */
export async function listMfaFactors(deps: ServiceDeps, projectId: string, user: UserRow) {
  return {
    totp: await hasVerifiedAuthenticator(deps.db.project(projectId), user.id),
    phone: user.phone !== null && user.phone_verified === 1,
    email: user.email !== null && user.email_verified === 1,
    recoveryCode: readRecoveryCodes(deps.secretKey, user).length > 0,
  };
}

export async function removeAuthenticator(deps: ServiceDeps, projectId: string, user: UserRow, type: string): Promise<void> {
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    if (!(await deleteUserAuthenticator(trx, user.id, type))) throw new AppError('user_authenticator_not_found');
    emit(userEvent(projectId, user.id, { action: 'update', attribute: 'mfa', payload: toUserModel(user, { withPassword: false }) }));
  });
}
