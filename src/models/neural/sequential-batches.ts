// Training and scoring batches for the sequential model, built in plain TypeScript from time-ordered
// sequences: B windows of at most T events right-aligned in T positions (padding first), with the
// attention mask (causal, padding keys off), the session blocks (sessions.ts), and the next-product
// target of every real position.
import { previousSessions, sessionDistances } from './sessions.js';

/** A customer's events in time order: products and session numbers, oldest first. */
export interface Sequence {
  products: Int32Array;
  sessions: Int32Array;
}

/** Added to masked attention logits. */
export const MASKED = -1e9;

export interface Batch {
  size: number;
  /** B x T product + 1 per position, 0 for padding. */
  items: Int32Array;
  /** B x T: 1 for real positions. */
  keep: Float32Array;
  /** B x T x T: 0 where position t may attend to j (j <= t, j real), MASKED elsewhere. */
  mask: Float32Array;
  /** B x T x T session distances (sessions.ts), when the session level is on. */
  distance: Int32Array | null;
  /**
   * The session level's previous-session summary, as rows of the running sum of item embeddings along
   * each window (row B * T is zero): position r's previous session is the sum at previousEnd[r] minus
   * the sum at previousStart[r], times previousWeight[r] (1 / its events; both rows B * T when none).
   */
  previousSession: { previousStart: Int32Array; previousEnd: Int32Array; previousWeight: Float32Array } | null;
  /** Rows (b * T + t) of the positions that predict something, and what (product + 1). */
  rows: Int32Array;
  targets: Int32Array;
}

/** A window of a sequence: its events [start, end) are the inputs; with targets, each input predicts the event after it. */
export interface Window {
  sequence: Sequence;
  start: number;
  end: number;
}

/**
 * Windows covering a sequence for training: inputs [end - 1 - T, end - 1), predicting the next event
 * at every position, for end = length, length - T, ... (every event is a target once).
 */
export function trainingWindows(sequence: Sequence, T: number, out: Window[]): void {
  for (let end = sequence.products.length; end >= 2; end -= T) out.push({ sequence, start: Math.max(0, end - 1 - T), end: end - 1 });
}

/** The batch of these windows; withTargets: every position predicts the event that follows it. */
export function buildBatch(windows: readonly Window[], T: number, sessions: boolean, withTargets: boolean): Batch {
  const B = windows.length;
  const items = new Int32Array(B * T);
  const keep = new Float32Array(B * T);
  const mask = new Float32Array(B * T * T).fill(MASKED);
  const distance = sessions ? new Int32Array(B * T * T) : null;
  const previousStart = new Int32Array(sessions ? B * T : 0).fill(B * T);
  const previousEnd = new Int32Array(previousStart.length).fill(B * T);
  const previousWeight = new Float32Array(previousStart.length);
  const rows: number[] = [];
  const targets: number[] = [];
  windows.forEach(({ sequence, start, end }, b) => {
    const n = end - start;
    const pad = T - n;
    for (let t = 0; t < n; t++) {
      const r = b * T + pad + t;
      items[r] = sequence.products[start + t] + 1;
      keep[r] = 1;
      mask.fill(0, r * T + pad, r * T + pad + t + 1);
      if (withTargets) {
        rows.push(r);
        targets.push(sequence.products[start + t + 1] + 1);
      }
    }
    if (distance) {
      const s = sequence.sessions.subarray(start, end);
      sessionDistances(s, n, T, distance, b * T * T);
      const spans = previousSessions(s, n);
      for (let t = 0; t < n; t++) {
        if (spans.start[t] < 0) continue;
        const r = b * T + pad + t;
        // Running sums include their own row: the session [start, end) is sum(end - 1) - sum(start - 1).
        previousEnd[r] = b * T + pad + spans.end[t] - 1;
        previousStart[r] = spans.start[t] > 0 ? b * T + pad + spans.start[t] - 1 : B * T;
        previousWeight[r] = 1 / (spans.end[t] - spans.start[t]);
      }
    }
  });
  return {
    size: B,
    items,
    keep,
    mask,
    distance,
    previousSession: sessions ? { previousStart, previousEnd, previousWeight } : null,
    rows: Int32Array.from(rows),
    targets: Int32Array.from(targets),
  };
}
