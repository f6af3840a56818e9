import assert from 'node:assert/strict';
import { constants, endianness } from 'node:os';
import { describe, test } from 'node:test';
import { CLONE_NAMESPACE_FLAGS, SANDBOX_SECCOMP_POLICY, sandboxSeccompFilter } from './sandbox-seccomp.js';
import {
  BPF_JMP_JEQ_K,
  BPF_JMP_JSET_K,
  BPF_LD_W_ABS,
  BPF_MAXINSNS,
  BPF_RET_K,
  SECCOMP_RET_ALLOW,
  SECCOMP_RET_ERRNO,
  SECCOMP_RET_KILL_PROCESS,
  compileSeccompFilter,
  seccompProgram,
  type BpfInstruction,
  type SeccompArch,
} from './seccomp-bpf.js';
import { seccompArchOf } from './syscall-numbers.js';

const { EPERM, ENOSYS } = constants.errno;
const EPERM_RET = SECCOMP_RET_ERRNO | EPERM;
const ENOSYS_RET = SECCOMP_RET_ERRNO | ENOSYS;
const X86_64 = seccompArchOf('x64')!;
const AARCH64 = seccompArchOf('arm64')!;
const AUDIT_ARCH_I386 = 0x40000003;
/** Calls every program makes, by architecture: read, write, openat, mmap, exit_group, futex. */
const EVERYDAY = { x64: [0, 1, 257, 9, 231, 202], arm64: [63, 64, 56, 222, 94, 98] };
/** The flags glibc and Node start a thread with (CLONE_VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|SETTLS|PARENT_SETTID|CHILD_CLEARTID), and fork's. */
const THREAD_FLAGS = 0x3d0f00;
const FORK_FLAGS = 0x01200011;

interface Call {
  arch: number;
  nr: number;
  args?: bigint[];
}

/**
 * Runs a seccomp program the way the kernel does, over a little-endian `struct seccomp_data`,
 * and fails on anything the kernel's checker would refuse: unknown opcodes, jumps off the end,
 * unaligned or out-of-range loads, falling off without a return.
 */
function runFilter(program: BpfInstruction[], call: Call): number {
  const data = Buffer.alloc(64);
  data.writeInt32LE(call.nr, 0);
  data.writeUInt32LE(call.arch, 4);
  (call.args ?? []).forEach((arg, i) => data.writeBigUInt64LE(BigInt.asUintN(64, arg), 16 + i * 8));
  let accumulator = 0;
  for (let pc = 0; pc < program.length; pc++) {
    const { code, jt, jf, k } = program[pc]!;
    const jumps = code === BPF_JMP_JEQ_K || code === BPF_JMP_JSET_K;
    if (jumps) assert.ok(jt <= 255 && jf <= 255 && pc + 1 + Math.max(jt, jf) < program.length, `jump in range at ${pc}`);
    switch (code) {
      case BPF_LD_W_ABS:
        assert.ok(k % 4 === 0 && k + 4 <= data.length, `load offset ${k}`);
        accumulator = data.readUInt32LE(k);
        break;
      case BPF_JMP_JEQ_K:
        pc += accumulator === k >>> 0 ? jt : jf;
        break;
      case BPF_JMP_JSET_K:
        pc += (accumulator & k) !== 0 ? jt : jf;
        break;
      case BPF_RET_K:
        return k >>> 0;
      default:
        assert.fail(`unknown opcode ${code} at ${pc}`);
    }
  }
  assert.fail('the program ended without a return');
}

const nrOf = (arch: SeccompArch, name: string): number => {
  const nr = arch.syscalls[name];
  assert.ok(nr !== undefined, `${name} is in the table`);
  return nr;
};

describe('seccomp filter compiler', () => {
  const arch: SeccompArch = { auditArch: 0xc000003e, foreignAbiBit: 0x40000000, syscalls: { first: 10, second: 20, flagged: 30 } };
  const program = seccompProgram(arch, {
    rules: [
      { syscall: 'first', action: { errno: 13 } },
      { syscall: 'missing', action: { errno: 1 } },
      { syscall: 'flagged', action: { errno: 1 }, whenArgHasBits: { index: 2, mask: 0x0100 } },
      { syscall: 'second', action: { killProcess: true } },
    ],
    foreignAbiAction: { errno: 38 },
  });

  test('returns each rule\'s action for its call and allows the rest', () => {
    assert.equal(runFilter(program, { arch: arch.auditArch, nr: 10 }), SECCOMP_RET_ERRNO | 13);
    assert.equal(runFilter(program, { arch: arch.auditArch, nr: 20 }), SECCOMP_RET_KILL_PROCESS);
    for (const nr of [0, 11, 19, 21, 29, 31, 1000]) assert.equal(runFilter(program, { arch: arch.auditArch, nr }), SECCOMP_RET_ALLOW, `call ${nr}`);
  });

  test('an argument rule looks at that argument\'s low word only, and settles its call either way', () => {
    const flagged = (args: bigint[]) => runFilter(program, { arch: arch.auditArch, nr: 30, args });
    assert.equal(flagged([0x100n, 0x100n, 0n]), SECCOMP_RET_ALLOW, 'other arguments do not count');
    assert.equal(flagged([0n, 0n, 0x0101n]), SECCOMP_RET_ERRNO | 1);
    assert.equal(flagged([0n, 0n, 0x0100n << 32n]), SECCOMP_RET_ALLOW, 'the high word does not count');
    assert.equal(flagged([0n, 0n, 0x00ffn]), SECCOMP_RET_ALLOW);
  });

  test('another architecture, or a call number with the foreign ABI bit, gets the foreign action', () => {
    assert.equal(runFilter(program, { arch: AUDIT_ARCH_I386, nr: 0 }), SECCOMP_RET_ERRNO | 38);
    assert.equal(runFilter(program, { arch: arch.auditArch, nr: 0x40000000 | 0 }), SECCOMP_RET_ERRNO | 38);
    assert.equal(runFilter(program, { arch: arch.auditArch, nr: 0x40000000 | 10 }), SECCOMP_RET_ERRNO | 38);
  });

  test('a call the architecture lacks adds nothing', () => {
    const without = seccompProgram(arch, { rules: [{ syscall: 'missing', action: { errno: 1 } }], foreignAbiAction: { killProcess: true } });
    const empty = seccompProgram(arch, { rules: [], foreignAbiAction: { killProcess: true } });
    assert.deepEqual(without, empty);
  });

  test('the binary form is the instructions as struct sock_filter, in host byte order', () => {
    const binary = compileSeccompFilter(arch, { rules: [{ syscall: 'first', action: { errno: 13 } }], foreignAbiAction: { killProcess: true } });
    const instructions = seccompProgram(arch, { rules: [{ syscall: 'first', action: { errno: 13 } }], foreignAbiAction: { killProcess: true } });
    assert.equal(binary.length, instructions.length * 8);
    const le = endianness() === 'LE';
    instructions.forEach((instruction, i) => {
      const at = i * 8;
      assert.deepEqual(
        { code: le ? binary.readUInt16LE(at) : binary.readUInt16BE(at), jt: binary[at + 2], jf: binary[at + 3], k: le ? binary.readUInt32LE(at + 4) : binary.readUInt32BE(at + 4) },
        { ...instruction, k: instruction.k >>> 0 },
      );
    });
  });

  test('refuses an argument index no system call has', () => {
    assert.throws(() => seccompProgram(arch, { rules: [{ syscall: 'first', action: { errno: 1 }, whenArgHasBits: { index: 6, mask: 1 } }], foreignAbiAction: { killProcess: true } }));
  });
});

describe('the sandbox\'s filter', () => {
  for (const [name, arch] of [['x64', X86_64], ['arm64', AARCH64]] as const) {
    describe(name, () => {
      const program = seccompProgram(arch, SANDBOX_SECCOMP_POLICY);
      const native = (nr: number, args?: bigint[]) => runFilter(program, { arch: arch.auditArch, nr, args });

      test('fits the kernel\'s limit', () => assert.ok(program.length < BPF_MAXINSNS));

      test('refuses namespaces, mounts, tracing, keyrings, BPF, perf and module calls with EPERM', () => {
        const refused = ['mount', 'umount2', 'pivot_root', 'unshare', 'setns', 'fsopen', 'move_mount', 'open_tree', 'mount_setattr', 'ptrace', 'process_vm_readv', 'process_vm_writev', 'keyctl', 'add_key', 'request_key', 'bpf', 'perf_event_open', 'userfaultfd', 'init_module', 'finit_module', 'delete_module', 'kexec_load', 'kexec_file_load', 'open_by_handle_at', 'reboot', 'swapon', 'settimeofday', 'clock_settime', 'io_uring_setup'];
        for (const syscall of refused) assert.equal(native(nrOf(arch, syscall)), EPERM_RET, syscall);
        for (const rule of SANDBOX_SECCOMP_POLICY.rules) {
          if (rule.whenArgHasBits || arch.syscalls[rule.syscall] === undefined) continue;
          assert.notEqual(native(nrOf(arch, rule.syscall)), SECCOMP_RET_ALLOW, rule.syscall);
        }
      });

      test('lets everyday calls, threads and child processes through', () => {
        for (const nr of EVERYDAY[name]) assert.equal(native(nr), SECCOMP_RET_ALLOW, `call ${nr}`);
        assert.equal(native(nrOf(arch, 'clone'), [BigInt(THREAD_FLAGS)]), SECCOMP_RET_ALLOW, 'a thread');
        assert.equal(native(nrOf(arch, 'clone'), [BigInt(FORK_FLAGS)]), SECCOMP_RET_ALLOW, 'fork');
        assert.equal(native(nrOf(arch, 'clone'), [0x4111n]), SECCOMP_RET_ALLOW, 'vfork with SIGCHLD');
      });

      test('refuses clone with any namespace flag, and sends clone3 back to clone', () => {
        for (let bit = 0; bit < 32; bit++) {
          const flag = 2 ** bit;
          if ((CLONE_NAMESPACE_FLAGS & flag) === 0) continue;
          assert.equal(native(nrOf(arch, 'clone'), [BigInt(FORK_FLAGS | flag)]), EPERM_RET, `flag 0x${flag.toString(16)}`);
        }
        assert.equal(native(nrOf(arch, 'clone3')), ENOSYS_RET);
      });

      test('kills a process calling through another ABI', () => {
        assert.equal(runFilter(program, { arch: AUDIT_ARCH_I386, nr: 1 }), SECCOMP_RET_KILL_PROCESS, '32-bit');
        assert.equal(runFilter(program, { arch: name === 'x64' ? AARCH64.auditArch : X86_64.auditArch, nr: 0 }), SECCOMP_RET_KILL_PROCESS, 'the other 64-bit table');
      });
    });
  }

  test('x32 calls on x86-64 are killed, even everyday ones', () => {
    const program = seccompProgram(X86_64, SANDBOX_SECCOMP_POLICY);
    assert.equal(runFilter(program, { arch: X86_64.auditArch, nr: 0x40000000 | 0 }), SECCOMP_RET_KILL_PROCESS);
    assert.equal(runFilter(program, { arch: X86_64.auditArch, nr: 0x40000000 | nrOf(X86_64, 'mount') }), SECCOMP_RET_KILL_PROCESS);
  });

  test('every call the policy names is in the x86-64 table; arm64 lacks only the x86 port calls', () => {
    for (const rule of SANDBOX_SECCOMP_POLICY.rules) {
      assert.ok(X86_64.syscalls[rule.syscall] !== undefined, rule.syscall);
      if (!['iopl', 'ioperm'].includes(rule.syscall)) assert.ok(AARCH64.syscalls[rule.syscall] !== undefined, rule.syscall);
    }
  });

  test('is built for the host where there is a table, and not for other architectures', () => {
    assert.ok(sandboxSeccompFilter('x64')!.length > 0);
    assert.ok(sandboxSeccompFilter('arm64')!.length > 0);
    assert.equal(sandboxSeccompFilter('riscv64'), null);
  });
});
