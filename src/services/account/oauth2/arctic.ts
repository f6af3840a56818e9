import { lazyExports } from '../../../core/load-package.js';

/** The arctic library, loaded with the first sign-in through an OAuth2 provider. */
export const arctic = lazyExports<typeof import('arctic')>('arctic');
