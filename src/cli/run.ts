// Entry for running the CLI from source (tests spawn it with `node --import tsx src/cli/run.ts`).
import { main } from './main.js';

// A reader that stops early (`kubetally usage -o json | head`) closes the pipe: that is the end
// of the output, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`kubetally: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
