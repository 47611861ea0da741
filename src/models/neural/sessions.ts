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
 * For one window of n events with session numbers `sessions` (non-decreasing), written at offset `at`
 * of a T x T block (the window right-aligned in T positions, padding first):
 * distance[t][j] = min(sessions[t] - sessions[j], SESSION_DISTANCES - 1) for j <= t (0 elsewhere).
 */
export function sessionDistances(sessions: ArrayLike<number>, n: number, T: number, distance: Int32Array, at: number): void {
  const pad = T - n;
  for (let t = 0; t < n; t++) {
    const row = at + (pad + t) * T + pad;
    for (let j = 0; j <= t; j++) distance[row + j] = Math.min(sessions[t] - sessions[j], SESSION_DISTANCES - 1);
  }
}

/**
 * For one window of n events: the first event and the end of the session just before each event's own
 * session within the window (start = end = -1 when that session is not in the window).
 */
export function previousSessions(sessions: ArrayLike<number>, n: number): { start: Int32Array; end: Int32Array } {
  const start = new Int32Array(n).fill(-1);
  const end = new Int32Array(n).fill(-1);
  let prevStart = -1;
  let prevEnd = -1;
  let current = 0;
  for (let t = 0; t < n; t++) {
    if (t > 0 && sessions[t] !== sessions[t - 1]) {
      const adjacent = sessions[t] - sessions[t - 1] === 1;
      prevStart = adjacent ? current : -1;
      prevEnd = adjacent ? t : -1;
      current = t;
    }
    start[t] = prevStart;
    end[t] = prevEnd;
  }
  return { start, end };
}
