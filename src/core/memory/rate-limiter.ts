/**
 * `--max-rate`: a token bucket shared by every node scanner, so the whole deployment is analysed
 * at no more than `keysPerSecond` keys per second (one second of burst).
 */
export class RateLimiter {
  private tokens: number;
  private last = performance.now();

  constructor(private readonly keysPerSecond: number) {
    this.tokens = keysPerSecond;
  }

  /** Wait until `keys` tokens are available, then take them. */
  async take(keys: number): Promise<void> {
    for (;;) {
      const now = performance.now();
      this.tokens = Math.min(this.keysPerSecond, this.tokens + ((now - this.last) / 1000) * this.keysPerSecond);
      this.last = now;
      // A batch larger than the bucket may go once the bucket is full, or it would wait forever.
      if (this.tokens >= Math.min(keys, this.keysPerSecond)) {
        this.tokens -= keys;
        return;
      }
      const missing = Math.min(keys, this.keysPerSecond) - this.tokens;
      await new Promise((r) => setTimeout(r, Math.max(1, Math.ceil((missing / this.keysPerSecond) * 1000))));
    }
  }
}
