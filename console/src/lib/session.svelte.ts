import type { Models } from '@appwrite.io/console';
import { account, errorType } from './api';

/** Who is signed in: unknown while loading, then an account, none, or one waiting for a second factor. */
export const session = $state<{ state: 'loading' | 'signed-in' | 'signed-out' | 'second-factor'; user: Models.User<Models.Preferences> | undefined }>({
  state: 'loading',
  user: undefined,
});

export async function loadSession(): Promise<void> {
  try {
    session.user = await account.get();
    session.state = 'signed-in';
  } catch (error) {
    session.user = undefined;
    session.state = errorType(error) === 'user_more_factors_required' ? 'second-factor' : 'signed-out';
  }
}

export async function signOut(): Promise<void> {
  try {
    await account.deleteSession({ sessionId: 'current' });
  } finally {
    session.user = undefined;
    session.state = 'signed-out';
  }
}
