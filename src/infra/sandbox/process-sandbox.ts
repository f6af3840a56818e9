import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { spawnLimited } from './process-limits.js';
import type { Sandbox, SandboxMount, SandboxSpec } from './sandbox.js';

/** The unprivileged user code runs as when the server is root. */
const NOBODY = 65534;
const SETPRIV = '/usr/bin/setpriv';

/** Switches to the unprivileged user (no supplementary groups) before the program starts. */
export interface ProcessUser {
  uid: number;
  gid: number;
}

/**
 * No namespaces, for hosts without bubblewrap: weaker, and the server says so. A server running as
 * root runs the code as `nobody` (setpriv); a Node program also gets Node's permission model, so it
 * reads only its mounts and writes only its writable ones and a private temporary folder, and may
 * start neither processes nor threads. Python programs and build commands have only the separate
 * user: they can read whatever `nobody` can.
 */
export function createProcessSandbox(user: ProcessUser | undefined = defaultProcessUser()): Sandbox {
  return {
    kind: 'process',
    pathOf: (mount: SandboxMount) => mount.host,
    spawn(spec: SandboxSpec) {
      const privateTmp = mkdtempSync(join(tmpdir(), 'plinth-process-'));
      const lent = [privateTmp, ...spec.mounts.filter((mount) => mount.writable).map((mount) => mount.host)];
      if (user) {
        for (const dir of lent) chownTree(dir, user);
        for (const mount of spec.mounts) makeReachable(mount.host);
      }
      const program = nodePermissionFlags(spec.command, spec.mounts, privateTmp);
      const command = user ? [SETPRIV, `--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--', ...program] : program;
      const env = { ...spec.env, TMPDIR: privateTmp, ...(spec.env.HOME === '/tmp' ? { HOME: privateTmp } : {}) };
      const child = spawnLimited(command[0]!, command.slice(1), { cwd: spec.cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] }, spec.limits);
      child.once('exit', () => {
        rmSync(privateTmp, { recursive: true, force: true });
        // Writable mounts are lent for the process's life: a build's output must not stay writable by the code it runs.
        if (user) for (const dir of lent) giveBack(dir);
      });
      return child;
    },
  };
}

/** `nobody` when this server is root and setpriv is there; else the server's own user. */
function defaultProcessUser(): ProcessUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return spawnSync(SETPRIV, ['--version'], { stdio: 'ignore' }).status === 0 ? { uid: NOBODY, gid: NOBODY } : undefined;
}

/**
 * The command with Node's permission model turned on when it runs Node: reads limited to the
 * mounts and the private folder, writes to the writable mounts and the private folder.
 */
function nodePermissionFlags(command: string[], mounts: SandboxMount[], privateTmp: string): string[] {
  const [program, ...args] = command;
  if (program === undefined || !basename(program).startsWith('node')) return command;
  const flag = permissionFlag(program);
  if (!flag) return command;
  const readable = [...mounts.map((mount) => mount.host), privateTmp];
  const writable = [...mounts.filter((mount) => mount.writable).map((mount) => mount.host), privateTmp];
  return [
    program,
    flag,
    // The model is experimental in Node 20 and 22, which warn about it on every start.
    '--no-warnings=ExperimentalWarning',
    ...readable.map((path) => `--allow-fs-read=${path}`),
    ...writable.map((path) => `--allow-fs-write=${path}`),
    ...args,
  ];
}

const flags = new Map<string, string | null>();

/** `--permission` from Node 23.5, `--experimental-permission` from 20; none before. */
function permissionFlag(program: string): string | null {
  if (!flags.has(program)) {
    const version = spawnSync(program, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
    const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
    flags.set(program, major > 23 || (major === 23 && minor >= 5) ? '--permission' : major >= 20 ? '--experimental-permission' : null);
  }
  return flags.get(program) ?? null;
}

/** Returns a lent folder to the server's user; one already removed (a run folder) is fine. */
function giveBack(dir: string): void {
  try {
    chownTree(dir, { uid: process.getuid!(), gid: process.getgid!() });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function chownTree(path: string, user: ProcessUser): void {
  chownSync(path, user.uid, user.gid);
  if (!statSync(path).isDirectory()) return;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) chownTree(child, user);
    else if (!entry.isSymbolicLink()) chownSync(child, user.uid, user.gid);
  }
}

/**
 * Lets the unprivileged user open a mount: read and search on the mount itself (it is meant to be
 * seen), search only on each parent (the data directory may be private): the parents cannot be
 * listed, and what else they hold stays closed wherever its own mode says so.
 */
function makeReachable(path: string): void {
  addModeBits(path, statSync(path).isDirectory() ? 0o005 : 0o004);
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) addModeBits(dir, 0o001);
}

function addModeBits(path: string, bits: number): void {
  const mode = statSync(path).mode & 0o7777;
  if ((mode & bits) !== bits) chmodSync(path, mode | bits);
}
