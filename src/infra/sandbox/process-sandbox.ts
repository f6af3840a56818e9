import { spawnLimited } from './process-limits.js';
import type { Sandbox, SandboxMount, SandboxSpec } from './sandbox.js';

/**
 * No isolation beyond a clean environment and a process group of its own: the code can read
 * whatever the server's user can. For hosts without user namespaces, and development only.
 */
export function createProcessSandbox(): Sandbox {
  return {
    kind: 'process',
    pathOf: (mount: SandboxMount) => mount.host,
    spawn(spec: SandboxSpec) {
      return spawnLimited(spec.command[0]!, spec.command.slice(1), { cwd: spec.cwd, env: spec.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] }, spec.limits);
    },
  };
}
