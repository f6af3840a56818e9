/** How this server runs functions; read from the environment by the composition root. */
export interface FunctionsSettings {
  /** `auto`: bubblewrap when it works here, else plain processes with a warning. */
  sandbox: 'auto' | 'bwrap' | 'process';
  /** The longest timeout a function may ask for, in seconds. */
  maxTimeoutSeconds: number;
  /** A warm runtime process unused this long is stopped. */
  idleSeconds: number;
  /** Executions one runtime process serves at once. */
  concurrency: number;
  /** Warm runtime processes kept at once on this node. */
  maxProcesses: number;
  /** Function code may reach the network (the host's interfaces, loopback included). */
  network: boolean;
  /** Memory a runtime process may allocate, in MB (RLIMIT_DATA); 0: unlimited. */
  memoryMb: number;
  /** Size of a runtime's private /tmp in MB (builds get at least 512). */
  tmpSizeMb: number;
  /** `APPWRITE_FUNCTION_API_ENDPOINT` as functions see it. */
  apiEndpoint: string;
  /** Functions answer plain HTTP on `<functionId>.<hostDomain>` (`functions.<PLINTH_DOMAIN>`). */
  hostDomain: string;
  /** Processes and threads one runtime or build may run at once (a fork bomb stops there). */
  maxPids: number;
}

export const DEFAULT_FUNCTIONS_SETTINGS: FunctionsSettings = {
  sandbox: 'auto',
  maxTimeoutSeconds: 900,
  idleSeconds: 300,
  concurrency: 16,
  maxProcesses: 32,
  network: false,
  memoryMb: 512,
  tmpSizeMb: 64,
  apiEndpoint: 'http://localhost:8080/v1',
  hostDomain: 'functions.localhost',
  maxPids: 256,
};
