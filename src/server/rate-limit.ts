// Per-client rate limits as token buckets: a bucket holds up to `requests` tokens (the burst) and
// refills at requests / seconds tokens per second; a request takes one token or is refused with the
// seconds until the next token (Retry-After).
import type { Rate } from '../app/rate.js';

interface Bucket {
  tokens: number;
  /** When tokens was counted (ms, performance.now()). */
  at: number;
}

/** Buckets kept before full ones (idle clients) are dropped. */
const PRUNE_FROM = 10_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /** Takes a token from the client's bucket: 0 when allowed, else the seconds to wait (>= 1). */
  take(client: string, rate: Rate, now = performance.now()): number {
    const perMs = rate.requests / (rate.seconds * 1000);
    let b = this.buckets.get(client);
    if (!b) {
      if (this.buckets.size >= PRUNE_FROM) this.prune(now, perMs, rate.requests);
      b = { tokens: rate.requests, at: now };
      this.buckets.set(client, b);
    } else {
      b.tokens = Math.min(rate.requests, b.tokens + (now - b.at) * perMs);
      b.at = now;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000));
  }

  /** Forgets clients whose bucket has refilled (they would start full anyway). */
  private prune(now: number, perMs: number, capacity: number): void {
    for (const [client, b] of this.buckets) if (b.tokens + (now - b.at) * perMs >= capacity) this.buckets.delete(client);
  }
}
