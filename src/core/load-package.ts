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

/**
 * A package's exports, loaded when the first one is read. Works for ES module packages too, which
 * Node loads synchronously since 20.19 (the `engines` minimum).
 */
export function lazyExports<T extends object>(name: string): T {
  const load = onFirstUse<T>(name);
  return new Proxy({} as T, { get: (_target, key) => Reflect.get(load(), key) });
}
