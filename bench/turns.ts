// Scenarios measured in turns: each runs ROUNDS times, one after another in a fixed order, and
// its median run is kept, so a machine that gets busier or quieter meets every server alike.
import type { LoadResult } from './load.js';

export const ROUNDS = 3;

/** The run of median requests per second. */
function median(runs: LoadResult[]): LoadResult {
  return [...runs].sort((a, b) => a.reqPerSec - b.reqPerSec)[Math.floor(runs.length / 2)]!;
}

export async function runInTurns<K extends string>(scenarios: Record<K, () => Promise<LoadResult>>): Promise<Record<K, LoadResult>> {
  const names = Object.keys(scenarios) as K[];
  const runs = new Map<K, LoadResult[]>(names.map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of names) runs.get(name)!.push(await scenarios[name]());
  }
  return Object.fromEntries(names.map((name) => [name, median(runs.get(name)!)])) as Record<K, LoadResult>;
}

export function resultRow(result: LoadResult): string {
  return `| ${result.scenario} | ${Math.round(result.reqPerSec)} | ${result.p99Ms.toFixed(1)} | ${result.errors + result.non2xx} |`;
}
