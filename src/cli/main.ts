import { processCli } from './context.js';
import { runCli } from './run.js';

// No top-level await: the bundle is a script (bin/plinth.js runs it with V8's code cache).
void runCli(process.argv.slice(2), processCli).then((code) => {
  // `serve` and `worker` keep running; every other command is done.
  if (code !== 0 || (process.argv[2] !== 'serve' && process.argv[2] !== 'worker')) process.exitCode = code;
});
