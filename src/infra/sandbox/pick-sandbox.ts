import { createBwrapSandbox, bwrapDisablesUserNamespaces, bwrapWorks } from './bwrap-sandbox.js';
import { createProcessSandbox } from './process-sandbox.js';
import { sandboxSeccompFilter } from './sandbox-seccomp.js';
import type { Sandbox, SandboxNetwork } from './sandbox.js';
import { userNetworkWorks } from './user-network.js';

export type SandboxChoice = 'auto' | 'bwrap' | 'process';

const PROCESS_WARNING =
  'Functions run as plain processes, a weaker sandbox: as nobody when the server is root, and Node code under Node\'s permission model ' +
  '(its own files only, no child processes), but Python code and build commands see the host\'s files as that user does, ' +
  'and no system call filter keeps them from the kernel\'s namespace, keyring, BPF and tracing calls';

/**
 * The sandbox the configuration asks for. `auto` takes bubblewrap when it works here and
 * falls back to plain processes, saying loudly that the code is then not isolated. An `isolated`
 * network needs pasta; without it sandboxes get no network, with a warning.
 */
export function pickSandbox(choice: SandboxChoice, network: SandboxNetwork, warn: (message: string) => void): Sandbox {
  if (choice === 'process') {
    warn(PROCESS_WARNING);
    return processSandbox(network, warn);
  }
  if (bwrapWorks()) return createBwrapSandbox({ userNetwork: userNetworkFor(network, warn), ...hardeningFor(warn) });
  if (choice === 'bwrap') throw new Error('PLINTH_FUNCTIONS_SANDBOX=bwrap, but bubblewrap (bwrap) is missing or may not create namespaces here');
  warn(`bubblewrap (bwrap) is missing or cannot create namespaces; install bubblewrap to isolate functions. ${PROCESS_WARNING}`);
  return processSandbox(network, warn);
}

/** What of the system call hardening this host's bubblewrap and architecture allow; warns about what falls short. */
function hardeningFor(warn: (message: string) => void): { seccomp: Buffer | null; disableUserNamespaces: boolean } {
  const seccomp = sandboxSeccompFilter();
  if (!seccomp) warn(`no system call filter for ${process.arch}: function code may make every system call its user namespace allows`);
  const disableUserNamespaces = bwrapDisablesUserNamespaces();
  if (!disableUserNamespaces) {
    warn(
      'bubblewrap is older than 0.8 (no --disable-userns): ' +
        (seccomp ? 'only the system call filter keeps function code from creating user namespaces' : 'function code may create user namespaces of its own'),
    );
  }
  return { seccomp, disableUserNamespaces };
}

/** Whether bubblewrap sandboxes get pasta; warns where the network setting falls short or exposes much. */
function userNetworkFor(network: SandboxNetwork, warn: (message: string) => void): boolean {
  if (network === 'host') warnHostNetwork(warn);
  if (network !== 'isolated') return false;
  if (userNetworkWorks()) return true;
  warn(
    'PLINTH_FUNCTIONS_NETWORK=isolated needs pasta, which is missing or cannot attach to a sandbox here (it needs the server to run as root): ' +
      'functions and builds get no network at all (as with PLINTH_FUNCTIONS_NETWORK=none); install the passt package to give them the outside network and the Plinth API',
  );
  return false;
}

function processSandbox(network: SandboxNetwork, warn: (message: string) => void): Sandbox {
  if (network === 'host') warnHostNetwork(warn);
  else warn(`PLINTH_FUNCTIONS_NETWORK=${network} does not hold for plain processes: function code uses the host's network, loopback services (databases, Redis) included`);
  return createProcessSandbox();
}

function warnHostNetwork(warn: (message: string) => void): void {
  warn("PLINTH_FUNCTIONS_NETWORK=host: function code and builds share the host's network and reach every service listening on its loopback (databases, Redis, other APIs)");
}
