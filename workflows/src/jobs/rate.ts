/**
 * Things per second (rows parsed, rows applied, products deleted), measured between two samples of
 * a running count. Workflow time only moves between workflow tasks, so two samples in one task
 * have no time between them and keep the last rate.
 */
export class Rate {
  private last: { at: number; count: number };

  constructor(at: number, count = 0) {
    this.last = { at, count };
  }

  /** A stage that counts something else starts measuring afresh from its own count. */
  restart(at: number, count: number): void {
    this.last = { at, count };
  }

  /** The rate since the last sample, or null when no workflow time has passed since. */
  sample(at: number, count: number): number | null {
    if (at <= this.last.at) return null;
    const perSecond = Math.round(((count - this.last.count) * 1000) / (at - this.last.at));
    this.last = { at, count };
    return perSecond;
  }
}
