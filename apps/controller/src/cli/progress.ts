/** Inputs with at least this many pods get a progress indicator on stderr. */
export const largeInputPods = 500;

/**
 * Reports phases of a long plan on stderr with the time since start: on a terminal each phase
 * replaces the previous line, elsewhere each is a line of its own.
 */
export class Progress {
  private readonly started = performance.now();
  private shown = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  report(message: string): void {
    const line = `karpenter-ts: ${message}… (${((performance.now() - this.started) / 1000).toFixed(1)}s)`;
    if (this.stream.isTTY) this.stream.write(`\r\x1b[2K${line}`);
    else this.stream.write(`${line}\n`);
    this.shown = true;
  }

  done(message: string): void {
    if (!this.shown) return;
    const line = `karpenter-ts: ${message} in ${((performance.now() - this.started) / 1000).toFixed(1)}s`;
    this.stream.write(this.stream.isTTY ? `\r\x1b[2K${line}\n` : `${line}\n`);
  }
}
