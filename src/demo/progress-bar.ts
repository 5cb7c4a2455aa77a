/** A one-line live progress bar on a terminal; plain periodic lines when stdout is not a TTY. */
export class ProgressBar {
  private lastPlain = 0;

  constructor(private readonly out: NodeJS.WriteStream) {}

  render(p: {
    total: number;
    completed: number;
    failed: number;
    qualified: number;
    in_progress: number;
    [k: string]: number;
  }): void {
    const final = p.final ?? p.completed + p.failed;
    const ratio = p.total > 0 ? final / p.total : 1;
    const width = 30;
    const filled = Math.round(ratio * width);
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${final}/${p.total} final · ${p.in_progress} calling · ${p.completed} completed · ${p.qualified} qualified`;
    if (this.out.isTTY) {
      this.out.write(`\r${line}\x1b[K`);
    } else if (Date.now() - this.lastPlain > 2000 || ratio === 1) {
      this.lastPlain = Date.now();
      this.out.write(`${line}\n`);
    }
  }

  done(): void {
    if (this.out.isTTY) this.out.write('\n');
  }
}
