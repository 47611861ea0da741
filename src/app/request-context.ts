// A request's context (time of day, page, channel, ...) for a model trained with context features:
// the "key=value" pairs it names in the model's context columns. A key the model never saw is refused
// (naming the keys it knows); a value it never saw for a known key leaves that key at the training
// average, as does a key the request does not name. Models without context ignore it.
import { NextbestError } from '../core/errors.js';
import type { RequestContext } from '../models/contract.js';
import type { TrainedModel } from '../models/trained-model.js';

/** Context as a request gives it: key -> value ("tod" -> "evening"). */
export type ContextValues = Readonly<Record<string, string>>;

/** What a list was scored with: the pairs the model used, and the keys it scored at the training average. */
export interface AppliedContext {
  used: Record<string, string>;
  averaged: string[];
}

/** The context keys a model scores with and the values it knows of each (empty when it has no context). */
export function contextKeys(trained: TrainedModel): Map<string, Map<string, number>> {
  const keys = new Map<string, Map<string, number>>();
  const c = trained.features.context;
  if (!c) return keys;
  c.features.forEach((name, column) => {
    const at = name.indexOf('=');
    const key = name.slice(0, at);
    if (c.exclude.includes(key)) return;
    if (!keys.has(key)) keys.set(key, new Map());
    (keys.get(key) as Map<string, number>).set(name.slice(at + 1), column);
  });
  return keys;
}

/**
 * The request's context in the model's columns, and what was applied; null for a model without
 * context features (the context is then ignored).
 */
export function requestContext(trained: TrainedModel, context: ContextValues | undefined): { request?: RequestContext; applied: AppliedContext } | null {
  const keys = contextKeys(trained);
  if (!keys.size) return null;
  const given = Object.entries(context ?? {});
  const unknown = given.filter(([key]) => !keys.has(key)).map(([key]) => key);
  if (unknown.length)
    throw new NextbestError(
      'BAD_OPTION',
      `context ${unknown.length > 1 ? 'keys' : 'key'} ${unknown.join(', ')} unknown to model ${trained.model.name}, which was trained with ${[...keys.keys()].sort().join(', ')}; use those or leave ${unknown.length > 1 ? 'them' : 'it'} out`,
    );
  const used: Record<string, string> = {};
  const replaced: number[] = [];
  const set: number[] = [];
  for (const [key, value] of given) {
    const values = keys.get(key) as Map<string, number>;
    const column = values.get(value);
    if (column === undefined) continue;
    used[key] = value;
    replaced.push(...values.values());
    set.push(column);
  }
  const averaged = [...keys.keys()].filter((k) => !(k in used)).sort();
  const applied = { used, averaged };
  return set.length ? { request: { replaced: Int32Array.from(replaced), set: Int32Array.from(set) }, applied } : { applied };
}
