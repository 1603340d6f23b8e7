/** Where a CLI command writes, so that tests can run commands in-process and read their output. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** True when stdout is a terminal (progress and colours only then). */
  readonly isTty: boolean;
  readonly env: NodeJS.ProcessEnv;
  /**
   * A transient status line for long operations ("" clears it). Shown only where stderr is a
   * terminal, so that piped and captured output never holds it.
   */
  progress?(text: string): void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTty: Boolean(process.stdout.isTTY),
  env: process.env,
  progress: (text) => {
    if (!process.stderr.isTTY) return;
    const width = process.stderr.columns > 1 ? process.stderr.columns - 1 : 79;
    process.stderr.write(`\r\x1b[2K${text.slice(0, width)}`);
  },
};
