// Entry for running the CLI from source (tests spawn it with `node --import tsx src/cli/run.ts`).
import { main } from './main.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`kubetally: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
