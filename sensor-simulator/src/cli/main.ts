import { runCli } from './run-cli';

// Entry point of `npm run bench` / `npm run simulate`. The first Ctrl-C stops the run cleanly
// (results are still written); a second one exits at once.
const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts += 1;
  if (interrupts > 1) process.exit(130);
  process.stderr.write('\nstopping (Ctrl-C again to quit at once)\n');
  controller.abort();
});

void runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
}).then((status) => {
  process.exitCode = status;
});
