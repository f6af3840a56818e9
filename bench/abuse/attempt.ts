/** Where an attempt aims and how long it may take. */
export interface Target {
  baseUrl: string;
  /** The server's pid, to count what it holds open. */
  pid: number;
  projectId: string;
  /** Requests that got no answer by then are cut off. */
  boundMs: number;
  /** How long slow clients keep dripping. */
  slowMs: number;
}

export interface Attempt {
  /** The kind of attack, shared by the attempts of one family (the report groups by it). */
  group: string;
  name: string;
  /** The longest `run` may take, so a stuck attempt is cut off rather than waited for. */
  maxMs(target: Target): number;
  /** Performs the attack and describes what the attacker got back. */
  run(target: Target): Promise<string>;
}
