import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import { spawnLimited } from './process-limits.js';
import type { Sandbox, SandboxMount, SandboxNetwork, SandboxSpec } from './sandbox.js';
import { connectUserNetwork, USER_NETWORK_BWRAP_ARGS, userNetworkResolvConf } from './user-network.js';

/** System directories shown read-only; merged-/usr hosts have symlinks for the top-level ones. */
const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64'];
/** What programs need from /etc to resolve names and check certificates; nothing else of it. */
const ETC_FILES = ['/etc/ssl', '/etc/ca-certificates', '/etc/resolv.conf', '/etc/hosts', '/etc/nsswitch.conf', '/etc/localtime', '/etc/alternatives'];
/** The unprivileged user the code runs as inside its user namespace. */
const NOBODY = '65534';

export interface BwrapSandboxOptions {
  binary?: string;
  /** pasta works here (see `userNetworkWorks`); without it an `isolated` network is `none`. */
  userNetwork?: boolean;
}

/**
 * Bubblewrap: new user, mount, pid, ipc, uts, cgroup and (unless `host`) network namespaces;
 * the system read-only, a private size-limited /tmp, only the mounts given, and no view of the rest of the
 * host's files (data directory, other functions, the server's sources). An `isolated` network is
 * attached by pasta before the program starts.
 */
export function createBwrapSandbox(options: BwrapSandboxOptions = {}): Sandbox {
  const binary = options.binary ?? 'bwrap';
  const systemArgs = systemMountArgs();
  const networkOf = (spec: SandboxSpec): SandboxNetwork => (spec.network === 'isolated' && !options.userNetwork ? 'none' : spec.network);
  return {
    kind: 'bwrap',
    pathOf: (mount: SandboxMount) => mount.inside,
    spawn(spec: SandboxSpec) {
      const network = networkOf(spec);
      const args = ['--unshare-all', ...(network === 'host' ? ['--share-net'] : []), '--die-with-parent', '--new-session'];
      if (network === 'isolated') args.push(...USER_NETWORK_BWRAP_ARGS);
      args.push('--uid', NOBODY, '--gid', NOBODY, '--hostname', 'function');
      args.push(...systemArgs, '--proc', '/proc', '--dev', '/dev', '--size', String(spec.tmpSizeMb * 1024 * 1024), '--tmpfs', '/tmp');
      for (const mount of spec.mounts) args.push(mount.writable ? '--bind' : '--ro-bind', mount.host, mount.inside);
      const resolvConf = network === 'isolated' ? userNetworkResolvConf() : null;
      // Over the host's own, which names a resolver on the host's loopback.
      if (resolvConf) args.push('--ro-bind', resolvConf, '/etc/resolv.conf');
      args.push('--chdir', spec.cwd, '--clearenv');
      for (const [name, value] of Object.entries(spec.env)) args.push('--setenv', name, value);
      args.push('--', ...spec.command);
      if (network !== 'isolated') return spawnLimited(binary, args, { detached: true, stdio: ['pipe', 'pipe', 'pipe'], env: {} }, spec.limits);
      const child = spawnLimited(binary, args, { detached: true, stdio: ['pipe', 'pipe', 'pipe', 'pipe', 'pipe'], env: {} }, spec.limits);
      connectUserNetwork(child, spec.hostPorts ?? [], NOBODY);
      return child;
    },
  };
}

function systemMountArgs(): string[] {
  const args: string[] = [];
  for (const dir of SYSTEM_DIRS) {
    if (!existsSync(dir)) continue;
    const stat = lstatSync(dir);
    if (stat.isSymbolicLink()) args.push('--symlink', readlinkSync(dir), dir);
    else args.push('--ro-bind', dir, dir);
  }
  for (const path of ETC_FILES) args.push('--ro-bind-try', path, path);
  return args;
}

/** Whether bubblewrap is installed and may create namespaces here (containers often forbid it). */
export function bwrapWorks(binary = 'bwrap'): boolean {
  const probe = spawnSync(binary, ['--unshare-all', '--die-with-parent', ...systemMountArgs(), '--', 'true'], { timeout: 5000, stdio: 'ignore' });
  return probe.status === 0;
}
