/**
 * Keeps each server-side batch near a time budget (default 5 ms) so a production server's other
 * clients never wait long behind the analysis: after each batch it measures the server time per
 * key and sizes the next batch to fit the budget, smoothing to avoid oscillation.
 *
 * The time is measured on the client as reply time minus max(send time, previous reply time): with
 * commands queued on one connection, that is the time the server spent on this batch (plus a
 * little network), and an over-estimate errs on the side of smaller batches.
 */
export class AdaptiveBatch {
  private size: number;
  private perKeyMs: number | undefined;

  constructor(
    private readonly budgetMs: number,
    private readonly min = 16,
    private readonly max = 4096,
    initial = 128,
  ) {
    this.size = Math.max(min, Math.min(max, initial));
  }

  get keys(): number {
    return this.size;
  }

  /** Record that `keys` keys took `elapsedMs` of server time. */
  observe(keys: number, elapsedMs: number): void {
    if (keys <= 0 || elapsedMs <= 0) return;
    const sample = elapsedMs / keys;
    this.perKeyMs = this.perKeyMs === undefined ? sample : 0.7 * this.perKeyMs + 0.3 * sample;
    const target = Math.floor(this.budgetMs / this.perKeyMs);
    // Grow at most 2x per step (a fast first batch must not jump straight to the maximum).
    this.size = Math.max(this.min, Math.min(this.max, this.size * 2, target));
  }
}
