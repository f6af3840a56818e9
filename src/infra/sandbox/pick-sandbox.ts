import { createBwrapSandbox, bwrapWorks } from './bwrap-sandbox.js';
import { createProcessSandbox } from './process-sandbox.js';
import type { Sandbox } from './sandbox.js';

export type SandboxChoice = 'auto' | 'bwrap' | 'process';

/**
 * The sandbox the configuration asks for. `auto` takes bubblewrap when it works here and
 * falls back to plain processes, saying loudly that the code is then not isolated.
 */
export function pickSandbox(choice: SandboxChoice, warn: (message: string) => void): Sandbox {
  if (choice === 'process') {
    warn('functions run as plain processes (PLINTH_FUNCTIONS_SANDBOX=process): function code can read what the server can');
    return createProcessSandbox();
  }
  if (bwrapWorks()) return createBwrapSandbox();
  if (choice === 'bwrap') throw new Error('PLINTH_FUNCTIONS_SANDBOX=bwrap, but bubblewrap (bwrap) is missing or may not create namespaces here');
  warn('bubblewrap (bwrap) is missing or cannot create namespaces: functions run as plain processes and can read what the server can; install bubblewrap to isolate them');
  return createProcessSandbox();
}
