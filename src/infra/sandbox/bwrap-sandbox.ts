import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { spawnLimited } from './process-limits.js';
import { sandboxSeccompFilter } from './sandbox-seccomp.js';
import type { Sandbox, SandboxMount, SandboxNetwork, SandboxSpec } from './sandbox.js';
import { connectUserNetwork, USER_NETWORK_BWRAP_ARGS, userNetworkResolvConf } from './user-network.js';

/** System directories shown read-only; merged-/usr hosts have symlinks for the top-level ones. */
const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64'];
/**
 * What programs need from /etc to resolve names and check certificates, and the configuration
 * Debian keeps there for language runtimes (PHP's enabled extensions, the JDK's security
 * settings, Maven's launcher and logging settings but not its settings.xml, which may hold an
 * administrator's credentials); nothing else of it.
 */
const ETC_FILES = [
  '/etc/ssl',
  '/etc/ca-certificates',
  '/etc/resolv.conf',
  '/etc/hosts',
  '/etc/nsswitch.conf',
  '/etc/localtime',
  '/etc/alternatives',
  '/etc/php',
  '/etc/java-17-openjdk',
  '/etc/maven/m2.conf',
  '/etc/maven/logging',
];
/** The unprivileged user the code runs as inside its user namespace. */
const NOBODY = '65534';

export interface BwrapSandboxOptions {
  binary?: string;
  /** pasta works here (see `userNetworkWorks`); without it an `isolated` network is `none`. */
  userNetwork?: boolean;
  /** The seccomp filter (see `sandboxSeccompFilter`, the default); null for none. */
  seccomp?: Buffer | null;
  /** Forbid user namespaces inside (bubblewrap 0.8 and later, see `bwrapDisablesUserNamespaces`); on by default. */
  disableUserNamespaces?: boolean;
}

/**
 * Bubblewrap: new user, mount, pid, ipc, uts, cgroup and (unless `host`) network namespaces;
 * the system read-only, a private size-limited /tmp, only the mounts given, and no view of the rest of the
 * host's files (data directory, other functions, the server's sources). An `isolated` network is
 * attached by pasta before the program starts. The code may create no namespaces of its own, and a
 * seccomp filter refuses the system calls it never needs.
 */
export function createBwrapSandbox(options: BwrapSandboxOptions = {}): Sandbox {
  const binary = options.binary ?? 'bwrap';
  const systemArgs = systemMountArgs();
  const seccomp = options.seccomp === undefined ? sandboxSeccompFilter() : options.seccomp;
  // A user namespace of its own is required, not merely tried: it carries the ban on nested ones.
  const userArgs = ['--unshare-user', ...(options.disableUserNamespaces === false ? [] : ['--disable-userns'])];
  const networkOf = (spec: SandboxSpec): SandboxNetwork => (spec.network === 'isolated' && !options.userNetwork ? 'none' : spec.network);
  return {
    kind: 'bwrap',
    pathOf: (mount: SandboxMount) => mount.inside,
    spawn(spec: SandboxSpec) {
      const network = networkOf(spec);
      const args = ['--unshare-all', ...userArgs, ...(network === 'host' ? ['--share-net'] : []), '--die-with-parent', '--new-session'];
      const stdio: Array<'pipe'> = ['pipe', 'pipe', 'pipe'];
      if (network === 'isolated') {
        args.push(...USER_NETWORK_BWRAP_ARGS);
        stdio.push('pipe', 'pipe');
      }
      // bubblewrap reads the filter from this pipe before it sets up the sandbox.
      const seccompFd = seccomp ? stdio.push('pipe') - 1 : undefined;
      if (seccompFd !== undefined) args.push('--seccomp', String(seccompFd));
      args.push('--uid', NOBODY, '--gid', NOBODY, '--hostname', 'function');
      args.push(...systemArgs, '--proc', '/proc', '--dev', '/dev', '--size', String(spec.tmpSizeMb * 1024 * 1024), '--tmpfs', '/tmp');
      for (const mount of spec.mounts) args.push(mount.writable ? '--bind' : '--ro-bind', mount.host, mount.inside);
      const resolvConf = network === 'isolated' ? userNetworkResolvConf() : null;
      // Over the host's own, which names a resolver on the host's loopback.
      if (resolvConf) args.push('--ro-bind', resolvConf, '/etc/resolv.conf');
      args.push('--chdir', spec.cwd, '--clearenv');
      for (const [name, value] of Object.entries(spec.env)) args.push('--setenv', name, value);
      args.push('--', ...spec.command);
      const child = spawnLimited(binary, args, { detached: true, stdio, env: {} }, spec.limits);
      if (seccomp && seccompFd !== undefined) sendFilter(child.stdio[seccompFd] as Writable | null, seccomp);
      if (network === 'isolated') connectUserNetwork(child, spec.hostPorts ?? [], NOBODY);
      return child;
    },
  };
}

/** Writes the filter and closes the pipe; a sandbox that failed to start has closed its end, and says why on stderr. */
function sendFilter(pipe: Writable | null, filter: Buffer): void {
  if (!pipe) return;
  pipe.on('error', () => {});
  pipe.end(filter);
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
  return probeBwrap(binary, ['--unshare-all', '--unshare-user']);
}

/** Whether this bubblewrap can forbid user namespaces inside the sandbox (`--disable-userns`, from 0.8). */
export function bwrapDisablesUserNamespaces(binary = 'bwrap'): boolean {
  return probeBwrap(binary, ['--unshare-all', '--unshare-user', '--disable-userns']);
}

function probeBwrap(binary: string, namespaceArgs: string[]): boolean {
  const probe = spawnSync(binary, [...namespaceArgs, '--die-with-parent', ...systemMountArgs(), '--', 'true'], { timeout: 5000, stdio: 'ignore' });
  return probe.status === 0;
}
