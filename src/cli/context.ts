/** Something a command writes text to: the process's stdout or stderr, or a buffer of a caller's. */
export interface CliOutput {
  write(text: string): unknown;
}

/**
 * What a command reads its settings from and writes its output to. A process's own by default;
 * a program that runs commands inside itself (the test suite, say) passes its own, so a command
 * needs no process of its own to run.
 */
export interface CliContext {
  env: NodeJS.ProcessEnv;
  stdout: CliOutput;
  stderr: CliOutput;
}

export const processCli: CliContext = { env: process.env, stdout: process.stdout, stderr: process.stderr };
