import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** The Appwrite CLI's entry point, run by this Node.js as `npx appwrite` would. */
const APPWRITE_CLI = resolve(import.meta.dirname, '../../node_modules/appwrite-cli/index.js');

export interface AppwriteRun {
  code: number;
  /** stdout and stderr as the terminal shows them, colours removed. */
  output: string;
}

/**
 * Runs the real Appwrite CLI in `cwd` with its own HOME (where it keeps `~/.appwrite/prefs.json`).
 * Each `answers` entry answers the prompt its pattern matches, once the prompt shows.
 */
export function runAppwrite(
  home: string,
  cwd: string,
  args: string[],
  answers: { when: RegExp; send: string }[] = [],
): Promise<AppwriteRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [APPWRITE_CLI, ...args], { cwd, env: { ...process.env, HOME: home, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let next = 0;
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      while (next < answers.length && answers[next]!.when.test(plain(output))) child.stdin.write(`${answers[next++]!.send}\r`);
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? 1, output: plain(output) }));
    if (answers.length === 0) child.stdin.end();
  });
}

function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}
