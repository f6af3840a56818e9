import { processCli } from './context.js';
import { runCli } from './run.js';

const code = await runCli(process.argv.slice(2), processCli);
// `serve` and `worker` keep running; every other command is done.
if (code !== 0 || (process.argv[2] !== 'serve' && process.argv[2] !== 'worker')) process.exitCode = code;
