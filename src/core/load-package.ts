import { createRequire } from 'node:module';

const requirePackage = createRequire(import.meta.url);

/**
 * A CommonJS package loaded on first use. Adapters that a configuration may never need (S3, Redis,
 * PostgreSQL, image rendering, SMTP) then cost no memory and no start time until they are used.
 */
export function onFirstUse<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requirePackage(name) as T);
}
