import { DEFAULT_FUNCTIONS_DOMAIN } from '../../core/function-host-labels.js';

/** Appwrite's default limit on a deployment archive. */
export const DEFAULT_MAX_CODE_BYTES = 30 * 1024 * 1024;

export type FunctionsNetwork = 'isolated' | 'none' | 'host';

/** How this server runs functions; read from the environment by the composition root. */
export interface FunctionsSettings {
  /** `auto`: bubblewrap when it works here, else plain processes with a warning. */
  sandbox: 'auto' | 'bwrap' | 'process';
  /** The longest timeout a function may ask for, in seconds. */
  maxTimeoutSeconds: number;
  /** A warm runtime process unused this long is stopped. */
  idleSeconds: number;
  /** The largest deployment archive of a function or site, in bytes (Appwrite's `_APP_COMPUTE_SIZE_LIMIT`). */
  maxCodeBytes: number;
  /** Executions one runtime process serves at once. */
  concurrency: number;
  /** Warm runtime processes kept at once on this node. */
  maxProcesses: number;
  /**
   * What function code and builds reach: `isolated` the outside network and the Plinth API but not
   * the host's loopback services; `none` nothing; `host` the host's whole network (loopback included).
   */
  network: FunctionsNetwork;
  /** Memory one runtime process tree may use, in MB; 0: unlimited. */
  memoryMb: number;
  /** CPU cores one runtime process tree may use (a CPU quota), e.g. 0.5 or 2. */
  cpus: number;
  /** Memory all warm runtimes of this node may use together, in MB: idle ones are stopped beyond it; 0: no budget. */
  memoryBudgetMb: number;
  /** Size of a runtime's private /tmp in MB (builds get at least 512). */
  tmpSizeMb: number;
  /** `APPWRITE_FUNCTION_API_ENDPOINT` as functions see it. */
  apiEndpoint: string;
  /** Functions answer plain HTTP on `<functionId>.<hostDomain>` (`functions.<PLINTH_DOMAIN>`). */
  hostDomain: string;
  /** Processes and threads one runtime or build may run at once (a fork bomb stops there). */
  maxPids: number;
  /** Where runtimes fetched from the npm registry (Node.js majors, Bun, Deno) are kept; default `<data dir>/runtimes`. */
  runtimesDir?: string | undefined;
  /** The runtime ids this server offers, of those its host can run; empty: all of them. */
  runtimes?: string[] | undefined;
}

export const DEFAULT_FUNCTIONS_SETTINGS: FunctionsSettings = {
  sandbox: 'auto',
  maxTimeoutSeconds: 900,
  maxCodeBytes: DEFAULT_MAX_CODE_BYTES,
  idleSeconds: 300,
  concurrency: 16,
  maxProcesses: 32,
  network: 'isolated',
  memoryMb: 512,
  cpus: 1,
  memoryBudgetMb: 0,
  tmpSizeMb: 64,
  apiEndpoint: 'http://localhost:8080/v1',
  hostDomain: DEFAULT_FUNCTIONS_DOMAIN,
  maxPids: 256,
};
