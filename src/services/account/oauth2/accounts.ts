import { encryptValue } from '../../../core/crypto.js';
import { formatDateTime, nowDateTime } from '../../../core/datetime.js';
import { AppError } from '../../../core/errors.js';
import { uniqueId } from '../../../core/ids.js';
import { findIdentityByProviderUid, insertIdentity, updateIdentityTokens } from '../../../data/project/identities.js';
import { findUserByEmail, findUserById } from '../../../data/project/users.js';
import type { IdentityRow, UserRow } from '../../../data/tables.js';
import type { ServiceDeps } from '../../deps.js';
import { createUser, normaliseEmail, saveUserChanges } from '../../users/index.js';
import type { ProviderProfile, ProviderTokens } from './provider.js';

/**
 * Finds the account a provider sign-in belongs to, in this order: the signed-in user
 * (linking a new identity to them), the user already linked to this provider identity,
 * the user whose email the provider vouches for, or a new user. The identity then holds
 * the provider's latest tokens.
 */
export async function resolveOAuth2User(
  deps: ServiceDeps,
  projectId: string,
  input: { provider: string; profile: ProviderProfile; tokens: ProviderTokens; signedIn: UserRow | undefined },
): Promise<UserRow> {
  const { provider, profile, signedIn } = input;
  if (profile.id === '') throw new AppError('user_missing_id');
  const store = deps.db.project(projectId);
  const email = profile.email === '' ? '' : normaliseEmail(profile.email);
  const identity = await findIdentityByProviderUid(store, provider, profile.id);

  let user: UserRow | undefined;
  if (signedIn) {
    if (identity && identity.user_id !== signedIn.id) throw new AppError('user_already_exists', 'This provider account is already linked to another user.');
    user = signedIn;
  } else if (identity) {
    user = await findUserById(store, identity.user_id);
  } else if (email !== '' && profile.emailVerified) {
    user = await findUserByEmail(store, email);
  }
  if (!user) {
    user = await createUser(deps, projectId, { userId: 'unique()', email: email || null, name: profile.name }, 'generic');
    // The provider vouched for the address, unless it said otherwise.
    if (email !== '' && profile.emailVerified) user = await saveUserChanges(deps, projectId, user, { email_verified: 1 }, { attribute: 'emailVerification', conflicts: 'generic' });
  } else if (email !== '' && email === user.email && profile.emailVerified && user.email_verified !== 1) {
    user = await saveUserChanges(deps, projectId, user, { email_verified: 1 }, { attribute: 'emailVerification', conflicts: 'generic' });
  }
  if (user.status !== 1) throw new AppError('user_blocked');

  await storeIdentity(deps, projectId, identity, { userId: user.id, provider, email, profileId: profile.id, tokens: input.tokens });
  return user;
}

async function storeIdentity(
  deps: ServiceDeps,
  projectId: string,
  existing: IdentityRow | undefined,
  input: { userId: string; provider: string; email: string; profileId: string; tokens: ProviderTokens },
): Promise<void> {
  const store = deps.db.project(projectId);
  const now = nowDateTime();
  const tokens = {
    provider_email: input.email,
    provider_access_token: input.tokens.accessToken ? encryptValue(deps.secretKey, input.tokens.accessToken) : '',
    provider_access_token_expiry: input.tokens.expiresAt ? formatDateTime(input.tokens.expiresAt) : '',
    provider_refresh_token: input.tokens.refreshToken ? encryptValue(deps.secretKey, input.tokens.refreshToken) : '',
    updated_at: now,
  };
  if (existing) {
    await updateIdentityTokens(store, existing.id, tokens);
    return;
  }
  const inserted = await insertIdentity(store, {
    id: uniqueId(),
    user_id: input.userId,
    provider: input.provider,
    provider_uid: input.profileId,
    created_at: now,
    ...tokens,
  });
  // Two first sign-ins raced: the other one linked it; it must be to the same user.
  if (!inserted) {
    const winner = await findIdentityByProviderUid(store, input.provider, input.profileId);
    if (winner?.user_id !== input.userId) throw new AppError('user_already_exists', 'This provider account is already linked to another user.');
  }
}
