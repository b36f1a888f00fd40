// Calls to the tenant keyed by what they check: identical ones in flight share one promise, and at most
// `maxInFlight` distinct ones run at once — beyond that the caller gets 429, so a flood of junk credentials
// cannot be amplified into a flood on the tenant.
import { tooManyRequests } from './errors.js';

export class BoundedSingleFlight<V> {
  private readonly inFlight = new Map<string, Promise<V>>();

  constructor(
    private readonly maxInFlight: number,
    private readonly busyDescription: string,
  ) {}

  run(key: string, call: () => Promise<V>): Promise<V> {
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    if (this.inFlight.size >= this.maxInFlight)
      return Promise.reject(tooManyRequests(this.busyDescription));
    const started = call().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }
}
