// An event log whose events keep only some of their context features ("key=value" by key), sharing
// every other column and the id maps: how a model leaves out a context key (e.g. one that leaks the outcome).
import type { EventLog } from './event-log.js';

export function filterContext(log: EventLog, keepKey: (key: string) => boolean): EventLog {
  const names = log.contexts.ids();
  const keep = Uint8Array.from(names, (name) => (keepKey(name.slice(0, name.indexOf('='))) ? 1 : 0));
  const contextPtr = new Int32Array(log.length + 1);
  const ids: number[] = [];
  for (let i = 0; i < log.length; i++) {
    for (let q = log.contextPtr[i]; q < log.contextPtr[i + 1]; q++) if (keep[log.contextIds[q]]) ids.push(log.contextIds[q]);
    contextPtr[i + 1] = ids.length;
  }
  return { ...log, contextPtr, contextIds: Int32Array.from(ids) };
}
