import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { newPastaPidFile, pastaRunDir, stopPasta, trackStartingPasta } from './pasta-processes.js';
import { killSandboxed } from './sandbox.js';

/**
 * pasta (Debian package passt) gives a network namespace a user-mode TCP/IP stack: what the
 * sandbox sends out leaves through ordinary sockets of this server's user. The host's address is
 * copied into the namespace, so it names the namespace itself, and the host's loopback is not
 * reachable except the ports forwarded with -T.
 */
const PASTA = 'pasta';
/** Pipes a bubblewrap sandbox is started with besides stdin, stdout and stderr (see `USER_NETWORK_BWRAP_ARGS`). */
const INFO_FD = 3;
const BLOCK_FD = 4;
/** bubblewrap reports the sandbox's pid on the first, and waits on the second before it starts the program. */
export const USER_NETWORK_BWRAP_ARGS = ['--info-fd', String(INFO_FD), '--block-fd', String(BLOCK_FD)];

/**
 * Where the sandbox sends DNS queries when the host's resolver is on its loopback (systemd-resolved's
 * 127.0.0.53, dnsmasq): pasta passes what is sent there to that resolver. A link-local address no one uses.
 */
const DNS_FORWARD = '169.254.53.53';

/** How long bubblewrap may take to set a sandbox up before pasta attaches. */
const SETUP_TIMEOUT_MS = 10_000;
let resolvConf: string | null | undefined;

/** pasta's options (the target namespace follows): outbound traffic only, plus the host loopback ports given. */
function pastaArgs(hostPorts: number[]): string[] {
  return [
    // As root pasta would drop to nobody, who may not enter the sandbox's namespace.
    '--runas',
    String(process.getuid?.() ?? 0),
    '--config-net',
    // Otherwise the gateway's address leads to the host's loopback: every local service.
    '--no-map-gw',
    '-T',
    hostPorts.length > 0 ? hostPorts.join(',') : 'none',
    '-U',
    'none',
    // Nothing from outside reaches into the sandbox.
    '-t',
    'none',
    '-u',
    'none',
    // Only then: it also turns replies of a resolver the sandbox reaches directly into unanswered queries.
    ...(userNetworkResolvConf() ? ['--dns-forward', DNS_FORWARD] : []),
    '--quiet',
  ];
}

/** Host loopback ports a URL needs: its port when it names this host's loopback, else none (it goes out). */
export function loopbackPortsOf(url: string): number[] {
  try {
    const parsed = new URL(url);
    if (!['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname)) return [];
    return [Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80))];
  } catch {
    return [];
  }
}

/**
 * Attaches pasta to a bubblewrap sandbox started with `USER_NETWORK_BWRAP_ARGS` and pipes
 * on file descriptors 3 and 4, then lets its program start. pasta does not end with the namespace,
 * so it is stopped when the sandbox exits. When pasta fails the sandbox is killed, with the
 * reason on its stderr.
 */
export function connectUserNetwork(child: ChildProcess, hostPorts: number[], sandboxUid: string): void {
  const info = child.stdio[INFO_FD] as Readable;
  const gate = child.stdio[BLOCK_FD] as Writable;
  const pidFile = newPastaPidFile();
  let starter: ChildProcess | undefined;
  let sandboxGone = false;
  gate.on('error', () => {});
  info.on('error', () => {});

  const fail = (reason: string) => {
    // Said on the sandbox's own stderr, where its caller looks for why it ended.
    child.stderr?.push(`The sandbox's network could not be set up: ${reason}\n`);
    killSandboxed(child);
  };
  child.once('exit', () => {
    sandboxGone = true;
    starter?.kill('SIGKILL');
    stopPasta(pidFile);
  });

  let text = '';
  info.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    // bubblewrap writes `{ "child-pid": N, … }` in pieces; the closing brace ends it.
    if (!/\}\s*$/.test(text)) return;
    info.removeAllListeners('data');
    const pid = /"child-pid":\s*(\d+)/.exec(text)?.[1];
    if (sandboxGone) return;
    if (pid === undefined) return fail(`bubblewrap reported no process id: ${text}`);
    void whenSetUp(pid, sandboxUid).then((ready) => {
      if (sandboxGone) return;
      if (!ready) return fail('the sandbox did not finish setting up');
      attach(pid);
    });
  });

  const attach = (pid: string) => {
    starter = spawn(PASTA, [...pastaArgs(hostPorts), '--pid', pidFile, ...targetArgs(pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
    trackStartingPasta(starter);
    let stderr = '';
    starter.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-2000)));
    starter.once('error', (error) => fail(`${PASTA}: ${error.message}`));
    // pasta's first process exits once the namespace is configured, leaving a daemon (pid in the pid file).
    starter.once('exit', (code) => {
      starter = undefined;
      if (sandboxGone) return stopPasta(pidFile);
      if (code !== 0) return fail(`${PASTA} exited with ${code}: ${withoutSyslogNoise(stderr) || 'no output'}`);
      gate.end('1');
    });
  };
}

/**
 * Waits until bubblewrap has set up the sandbox (its own loopback among the rest) and waits on
 * the block fd: pasta bringing the loopback up first makes bubblewrap's setup fail. The last step
 * before the wait moves the sandbox into a user namespace where it is `sandboxUid`, which its
 * uid_map shows; nothing announces it, so it is polled (a few milliseconds).
 */
async function whenSetUp(pid: string, sandboxUid: string): Promise<boolean> {
  const deadline = Date.now() + SETUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    let map: string;
    try {
      map = readFileSync(`/proc/${pid}/uid_map`, 'utf8');
    } catch {
      return false;
    }
    if (map.trim().split(/\s+/)[0] === sandboxUid) return true;
    await delay(1);
  }
  return false;
}

/**
 * A resolv.conf for sandboxes when the host's names only loopback resolvers, which are out of
 * their reach: it names the address pasta forwards to them. Null when the host's own file serves.
 */
export function userNetworkResolvConf(): string | null {
  if (resolvConf !== undefined) return resolvConf;
  resolvConf = null;
  let hostFile: string;
  try {
    hostFile = readFileSync('/etc/resolv.conf', 'utf8');
  } catch {
    return resolvConf;
  }
  const lines = hostFile.split('\n').map((line) => line.trim());
  const servers = lines.filter((line) => /^nameserver\s/.test(line)).map((line) => line.split(/\s+/)[1] ?? '');
  if (servers.length === 0 || !servers.every((server) => server.startsWith('127.') || server === '::1')) return resolvConf;
  const file = join(pastaRunDir(), 'resolv.conf');
  const kept = lines.filter((line) => /^(search|domain|options)\s/.test(line));
  writeFileSync(file, [`nameserver ${DNS_FORWARD}`, ...kept, ''].join('\n'));
  return (resolvConf = file);
}

/**
 * The sandbox's network namespace, joined without its user namespace: bubblewrap moves the
 * sandbox into a nested user namespace (to run it as nobody) before it waits on the block fd, and
 * pasta cannot enter the network namespace from there. Entering it directly needs root.
 */
function targetArgs(pid: string): string[] {
  return ['--netns', `/proc/${pid}/ns/net`];
}

/** Whether pasta is installed and can attach to a bubblewrap sandbox here. */
export function userNetworkWorks(bwrap = 'bwrap'): boolean {
  const probe = spawnSync('/bin/sh', ['-c', PROBE, 'probe', bwrap, PASTA, ...pastaArgs([])], { timeout: 10_000, stdio: 'ignore' });
  return probe.status === 0;
}

/**
 * Starts a throwaway bubblewrap sandbox, attaches pasta to it (the pid comes through a fifo),
 * then stops both. Arguments: bwrap, then pasta's command line.
 */
const PROBE = `
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
mkfifo "$dir/info" || exit 1
bwrap=$1; shift
"$bwrap" --unshare-all --die-with-parent --ro-bind / / --uid 65534 --gid 65534 --info-fd 3 -- sleep 30 3>"$dir/info" &
sandbox=$!
pid=$(sed -n 's/.*"child-pid": *\\([0-9]*\\).*/\\1/p' <"$dir/info")
# As in use, pasta comes once bubblewrap is done (see whenSetUp).
tries=0
until grep -qs '^ *65534 ' "/proc/$pid/uid_map" || [ $tries -ge 500 ]; do tries=$((tries + 1)); sleep 0.01; done
"$@" --pid "$dir/pasta.pid" --netns "/proc/$pid/ns/net"
status=$?
[ -s "$dir/pasta.pid" ] && kill "$(cat "$dir/pasta.pid")"
kill "$sandbox" 2>/dev/null
exit $status
`;

/** pasta tries the system log first; where there is none, each message comes with a complaint. */
function withoutSyslogNoise(text: string): string {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('Failed to send'))
    .join('\n');
}
