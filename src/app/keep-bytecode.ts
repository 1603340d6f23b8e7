/**
 * A long-running collector closes an interval every 15 minutes. Between two closes V8 flushed the
 * bytecode of the functions that had not run (integration, pricing, the ledger write), and their
 * optimized code with it, so that every close ran cold: about 1.6 times the CPU of a warm one at
 * 10 000 pods (bench/README.md). Keeping the bytecode costs a few megabytes.
 */
import { setFlagsFromString } from 'node:v8';

let done = false;

export function keepBytecode(): void {
  if (done) return;
  done = true;
  setFlagsFromString('--no-flush-bytecode');
}
