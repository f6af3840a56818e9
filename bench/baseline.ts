import { fileURLToPath } from 'node:url';
import type { Cleanup } from './cleanup.js';
import { spawnChild, stopChild, type Child } from './processes.js';

export interface RunningHello {
  child: Child;
  url: string;
}

const SCRIPT = fileURLToPath(new URL('./hello-server.js', import.meta.url));

/** The raw node:http server every Plinth number is compared with. */
export async function startHello(cleanup: Cleanup): Promise<RunningHello> {
  const child = spawnChild('hello-server', [SCRIPT], { cwd: process.cwd(), env: { ...process.env, PORT: '0' } });
  cleanup.defer(() => stopChild(child));
  const line = await child.waitForLine(/"url"/, 10_000);
  const { url } = JSON.parse(line) as { url: string };
  return { child, url };
}
