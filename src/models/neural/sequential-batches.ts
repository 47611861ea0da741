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
   * The session level's previous-session summary: each window's sessions are segments (segment 0 is
   * empty, for padding); segment[r] is position r's, previousSegment[r] the one before its own in the
   * window (0 when none), segmentWeight[s] = 1 / events in s (0 for segment 0). Null when off.
   */
  segments: { segment: Int32Array; previousSegment: Int32Array; segmentWeight: Float32Array } | null;
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
  const segment = new Int32Array(sessions ? B * T : 0);
  const previousSegment = new Int32Array(segment.length);
  const segmentWeight: number[] = [0];
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
      // Segment ids of this window's sessions: first + (session - first session).
      const first = segmentWeight.length;
      const spans = previousSessions(s, n);
      for (let t = 0; t < n; t++) {
        const id = first + s[t] - s[0];
        while (segmentWeight.length <= id) segmentWeight.push(0);
        segmentWeight[id]++;
        segment[b * T + pad + t] = id;
        previousSegment[b * T + pad + t] = spans.start[t] < 0 ? 0 : first + s[spans.start[t]] - s[0];
      }
    }
  });
  const weight = Float32Array.from(segmentWeight, (c, i) => (i === 0 || c === 0 ? 0 : 1 / c));
  return {
    size: B,
    items,
    keep,
    mask,
    distance,
    segments: sessions ? { segment, previousSegment, segmentWeight: weight } : null,
    rows: Int32Array.from(rows),
    targets: Int32Array.from(targets),
  };
}
