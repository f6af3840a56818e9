import { constants } from 'node:os';
import { compileSeccompFilter, type SeccompPolicy, type SeccompRule } from './seccomp-bpf.js';
import { seccompArchOf } from './syscall-numbers.js';

const { EPERM, ENOSYS } = constants.errno;

/** clone's namespace flags (CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET); its low byte is the exit signal. */
export const CLONE_NAMESPACE_FLAGS = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000;

/**
 * System calls function code and builds never need, refused with EPERM (an ordinary failure the
 * program can report, where a kill would look like a crash). Most need privileges the sandbox
 * lacks anyway; refusing them here also shuts the kernel code behind them, the usual door for a
 * kernel exploit, and holds if a privilege slips in.
 */
const DENIED = [
  // Rearranging the file system view or joining other namespaces.
  'mount',
  'umount2',
  'pivot_root',
  'chroot',
  'unshare',
  'setns',
  'fsopen',
  'fsconfig',
  'fsmount',
  'fspick',
  'move_mount',
  'open_tree',
  'mount_setattr',
  'open_by_handle_at',
  'name_to_handle_at',
  // Reading or steering other processes.
  'ptrace',
  'process_vm_readv',
  'process_vm_writev',
  'process_madvise',
  'pidfd_getfd',
  'kcmp',
  // The kernel's keyrings.
  'keyctl',
  'add_key',
  'request_key',
  // Programs and probes inside the kernel, and rings that bypass this filter.
  'bpf',
  'perf_event_open',
  'userfaultfd',
  'io_uring_setup',
  'io_uring_enter',
  'io_uring_register',
  'lookup_dcookie',
  'fanotify_init',
  // The machine itself: kernels, modules, hardware ports, swap, clock, quotas, kernel log.
  'kexec_load',
  'kexec_file_load',
  'init_module',
  'finit_module',
  'delete_module',
  'iopl',
  'ioperm',
  'swapon',
  'swapoff',
  'reboot',
  'acct',
  'settimeofday',
  'clock_settime',
  'quotactl',
  'quotactl_fd',
  'syslog',
] as const;

export const SANDBOX_SECCOMP_POLICY: SeccompPolicy = {
  rules: [
    ...DENIED.map((syscall): SeccompRule => ({ syscall, action: { errno: EPERM } })),
    // Threads and processes, yes; new namespaces, no.
    { syscall: 'clone', action: { errno: EPERM }, whenArgHasBits: { index: 0, mask: CLONE_NAMESPACE_FLAGS } },
    // Its flags sit in memory a filter cannot read: "not implemented" makes the C library fall back to clone.
    { syscall: 'clone3', action: { errno: ENOSYS } },
  ],
  // 32-bit and x32 calls have numbers of their own, which the rules above would miss.
  foreignAbiAction: { killProcess: true },
};

/** The sandbox's filter for an architecture (the host's by default); null where there is no table for it. */
export function sandboxSeccompFilter(arch: NodeJS.Architecture = process.arch): Buffer | null {
  const abi = seccompArchOf(arch);
  return abi ? compileSeccompFilter(abi, SANDBOX_SECCOMP_POLICY) : null;
}
