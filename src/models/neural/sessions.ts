// The session level of the sequential model: a customer's time-ordered events split into sessions
// wherever the gap between two events exceeds a threshold, and the two per-window signals the model
// reads from that split, built the same way for training batches and for serving: how many sessions
// separate two events (its attention takes a learned bias per distance), and, for each event, the
// average of the previous session's items (projected into the event's input).

/** Session distances at or beyond this share one learned bias. */
export const SESSION_DISTANCES = 8;

/**
 * Session numbers of events in time order: 0 for the first, +1 after every gap longer than
 * gapSeconds. gapSeconds <= 0 turns the session level off: every event is in session 0.
 */
export function sessionNumbers(times: Float64Array, gapSeconds: number): Int32Array {
  const out = new Int32Array(times.length);
  if (gapSeconds <= 0) return out;
  for (let t = 1; t < times.length; t++) out[t] = out[t - 1] + (times[t] - times[t - 1] > gapSeconds ? 1 : 0);
  return out;
}

/**
 * For one window of n events with session numbers `sessions` (non-decreasing), written at row offset
 * `at` of a T x T block (the window right-aligned in T positions, padding first):
 * distance[t][j] = min(sessions[t] - sessions[j], SESSION_DISTANCES - 1) for j <= t (0 elsewhere), and
 * previous[t][j] = 1 / (events in the session before t's) for the events j of that session (0 elsewhere).
 */
export function sessionBlocks(sessions: ArrayLike<number>, n: number, T: number, distance: Int32Array, previous: Float32Array, at: number): void {
  const pad = T - n;
  let prevStart = -1;
  let prevEnd = -1;
  let curStart = 0;
  for (let t = 0; t < n; t++) {
    if (t > 0 && sessions[t] !== sessions[t - 1]) {
      prevStart = sessions[t] - sessions[t - 1] === 1 ? curStart : -1;
      prevEnd = prevStart < 0 ? -1 : t;
      curStart = t;
    }
    const row = at + (pad + t) * T + pad;
    for (let j = 0; j <= t; j++) distance[row + j] = Math.min(sessions[t] - sessions[j], SESSION_DISTANCES - 1);
    if (prevStart >= 0) {
      const w = 1 / (prevEnd - prevStart);
      for (let j = prevStart; j < prevEnd; j++) previous[row + j] = w;
    }
  }
}
