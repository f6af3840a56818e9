import { endianness } from 'node:os';

/**
 * A compiler from a short list of system call rules to a seccomp filter: a classic BPF program
 * (an array of `struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }`) run by the kernel on
 * `struct seccomp_data { int nr; u32 arch; u64 instruction_pointer; u64 args[6]; }` at each call.
 */

/** What the kernel does with a call: run it, fail it with an errno, or kill the whole process. */
export type SeccompAction = { allow: true } | { errno: number } | { killProcess: true };

/** One architecture's ABI: its audit identifier and the numbers of the calls the rules name. */
export interface SeccompArch {
  /** `AUDIT_ARCH_*`: seccomp_data.arch for calls made through this ABI. */
  auditArch: number;
  /** Numbers by call name; a call the architecture lacks is left out. */
  syscalls: Readonly<Record<string, number>>;
  /**
   * A bit that marks a call number as another ABI sharing this audit identifier (x86-64's x32
   * calls have 0x40000000 set); such calls get `foreignAbiAction`.
   */
  foreignAbiBit?: number;
}

export interface SeccompRule {
  syscall: string;
  action: SeccompAction;
  /** The rule holds only when argument `index` has any of `mask`'s bits in its low 32 bits; else the call is allowed. */
  whenArgHasBits?: { index: number; mask: number };
}

export interface SeccompPolicy {
  rules: SeccompRule[];
  /** For calls through any ABI other than the architecture's own (32-bit, x32). */
  foreignAbiAction: SeccompAction;
}

// struct sock_filter opcodes.
export const BPF_LD_W_ABS = 0x20;
export const BPF_JMP_JEQ_K = 0x15;
export const BPF_JMP_JSET_K = 0x45;
export const BPF_RET_K = 0x06;

// Return values (linux/seccomp.h).
export const SECCOMP_RET_KILL_PROCESS = 0x80000000;
export const SECCOMP_RET_ERRNO = 0x00050000;
export const SECCOMP_RET_ALLOW = 0x7fff0000;
const SECCOMP_RET_DATA = 0x0000ffff;

// Offsets into struct seccomp_data.
const NR_OFFSET = 0;
const ARCH_OFFSET = 4;
const ARGS_OFFSET = 16;
const AUDIT_ARCH_LE = 0x40000000;
/** The kernel refuses longer programs. */
export const BPF_MAXINSNS = 4096;

export interface BpfInstruction {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

/** The filter as instructions, in order. */
export function seccompProgram(arch: SeccompArch, policy: SeccompPolicy): BpfInstruction[] {
  const load = (offset: number): BpfInstruction => ({ code: BPF_LD_W_ABS, jt: 0, jf: 0, k: offset });
  const ret = (action: SeccompAction): BpfInstruction => ({ code: BPF_RET_K, jt: 0, jf: 0, k: returnValue(action) });
  // Each test falls through to its own return when it holds and skips it otherwise: no jump is ever long.
  const program: BpfInstruction[] = [load(ARCH_OFFSET), { code: BPF_JMP_JEQ_K, jt: 1, jf: 0, k: arch.auditArch }, ret(policy.foreignAbiAction), load(NR_OFFSET)];
  if (arch.foreignAbiBit) program.push({ code: BPF_JMP_JSET_K, jt: 0, jf: 1, k: arch.foreignAbiBit }, ret(policy.foreignAbiAction));
  for (const rule of policy.rules) {
    const nr = arch.syscalls[rule.syscall];
    if (nr === undefined) continue;
    if (!rule.whenArgHasBits) {
      program.push({ code: BPF_JMP_JEQ_K, jt: 0, jf: 1, k: nr }, ret(rule.action));
      continue;
    }
    // The argument replaces the call number in the accumulator, so this call's verdict is final either way.
    const { index, mask } = rule.whenArgHasBits;
    program.push(
      { code: BPF_JMP_JEQ_K, jt: 0, jf: 4, k: nr },
      load(argLowWordOffset(arch, index)),
      { code: BPF_JMP_JSET_K, jt: 0, jf: 1, k: mask >>> 0 },
      ret(rule.action),
      ret({ allow: true }),
    );
  }
  program.push(ret({ allow: true }));
  if (program.length > BPF_MAXINSNS) throw new Error(`a seccomp filter of ${program.length} instructions is too long`);
  return program;
}

/** The filter in the binary form bubblewrap's `--seccomp` reads (host byte order). */
export function compileSeccompFilter(arch: SeccompArch, policy: SeccompPolicy): Buffer {
  const program = seccompProgram(arch, policy);
  const buffer = Buffer.alloc(program.length * 8);
  const littleEndian = endianness() === 'LE';
  program.forEach((instruction, i) => {
    const at = i * 8;
    if (littleEndian) buffer.writeUInt16LE(instruction.code, at);
    else buffer.writeUInt16BE(instruction.code, at);
    buffer.writeUInt8(instruction.jt, at + 2);
    buffer.writeUInt8(instruction.jf, at + 3);
    if (littleEndian) buffer.writeUInt32LE(instruction.k >>> 0, at + 4);
    else buffer.writeUInt32BE(instruction.k >>> 0, at + 4);
  });
  return buffer;
}

function returnValue(action: SeccompAction): number {
  if ('allow' in action) return SECCOMP_RET_ALLOW;
  if ('killProcess' in action) return SECCOMP_RET_KILL_PROCESS;
  return (SECCOMP_RET_ERRNO | (action.errno & SECCOMP_RET_DATA)) >>> 0;
}

/** Arguments are 64-bit; the low half comes first on little-endian ABIs. */
function argLowWordOffset(arch: SeccompArch, index: number): number {
  if (!Number.isInteger(index) || index < 0 || index > 5) throw new Error(`system calls have arguments 0 to 5, not ${index}`);
  return ARGS_OFFSET + index * 8 + (arch.auditArch & AUDIT_ARCH_LE ? 0 : 4);
}
