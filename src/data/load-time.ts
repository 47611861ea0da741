// Event dates may not lie after the load: a date later than the load time plus one day of tolerance
// (clocks and time zones differ) is a rejected row. Offer validity windows are not event dates.

export const FUTURE_TOLERANCE_MS = 86_400_000;

/** The latest event time a load started now accepts, in epoch milliseconds. */
export const latestEventTime = (now: number = Date.now()): number => now + FUTURE_TOLERANCE_MS;

const minutes = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/** The reject reason when `time` (epoch ms) is after `latest`, else null; `label` names the field and its text. */
export function afterLoadTime(label: string, time: number, latest: number): string | null {
  if (time <= latest) return null;
  return `${label} is after the load time (${minutes(latest - FUTURE_TOLERANCE_MS)} UTC) by more than 1 day`;
}
