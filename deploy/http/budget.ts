// Client-side request budget: a token bucket shared by every Management API call of one deploy, so a deploy stays
// inside the tenant's rate limit instead of discovering it through 429s (auth0-deploy-cli #1157, terraform #1488).

export interface BudgetOptions {
  /** Sustained requests per second (Free tenant: 2). */
  perSecond: number;
  /** Bucket size (Free tenant: 2). */
  burst: number;
}

export const freeTenantBudget: BudgetOptions = { perSecond: 2, burst: 2 };

export class RequestBudget {
  private tokens: number;
  private lastRefill = Date.now();
  /** A 429 tells us the server's bucket is empty until this time; everyone waits for it. */
  private pausedUntil = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly options: BudgetOptions) {
    if (!(options.perSecond > 0) || !(options.burst >= 1))
      throw new Error('request budget: perSecond must be > 0 and burst >= 1');
    this.tokens = options.burst;
  }

  /** Resolves when the caller may send one request. Callers are served in arrival order. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.waitForToken());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  pauseUntil(epochMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, epochMs);
    // The server's bucket is empty: ours should be too, or we would burst straight into another 429.
    this.tokens = 0;
    this.lastRefill = Math.max(Date.now(), epochMs);
  }

  private refill(now: number): void {
    if (now <= this.lastRefill) return;
    this.tokens = Math.min(
      this.options.burst,
      this.tokens + ((now - this.lastRefill) / 1000) * this.options.perSecond,
    );
    this.lastRefill = now;
  }

  private async waitForToken(): Promise<void> {
    for (;;) {
      const now = Date.now();
      if (now < this.pausedUntil) {
        await sleep(this.pausedUntil - now);
        continue;
      }
      this.refill(now);
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await sleep(Math.ceil(((1 - this.tokens) / this.options.perSecond) * 1000));
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
