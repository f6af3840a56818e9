import type { Database } from '../data/database.js';
import type { ProjectAccessCache } from './project-access-cache.js';

/**
 * What authenticating a request needs from the composition root. The services' deps hold
 * these too, so a service can pass its own deps where these are asked for.
 */
export interface AuthDeps {
  db: Database;
  /** What requests read of their project, cached on this node; read from the store when absent. */
  projectAccess?: ProjectAccessCache;
  /** 32 bytes: signs short-lived tokens (JWTs, ephemeral keys). */
  secretKey: Buffer;
  /** Where browsers reach this server (no trailing slash); never read from a request. */
  publicUrl: string;
  /** Functions answer on `<functionId>.<hostDomain>`; the default domain when absent. */
  functions?: { hostDomain: string };
}
