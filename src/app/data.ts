// What the model commands train, evaluate and score on: the store's event log, a split named by a
// spec (files are read directly, every other kind cuts the store's events), and the store's attributes.
import { NextbestError } from '../core/errors.js';
import type { SideAttributes } from '../eval/pointwise-models.js';
import { loadEventLog, type EventLog } from '../matrix/index.js';
import { parseSplitSpec, splitBySpec, type Split } from '../matrix/splits/index.js';
import type { StoreAccess } from './store-access.js';

/** The store's whole event log. */
export const loadLog = (store: StoreAccess): Promise<EventLog> => store.use((s) => loadEventLog(s));

/** A split named by a spec: files are read directly, every other kind cuts the store's events. */
export async function loadSplit(spec: string, store: StoreAccess): Promise<Split> {
  const parsed = parseSplitSpec(spec);
  if (parsed.kind === 'files') return splitBySpec(parsed);
  const log = await loadLog(store);
  if (log.length === 0) throw new NextbestError('NO_EVENTS', `the store ${store.name} holds no events; run nextbest ingest first`);
  return splitBySpec(parsed, log);
}

/** The events to train on: the train part of a split, or every event in the store. */
export const loadTrainingLog = async (store: StoreAccess, split: string | undefined): Promise<EventLog> =>
  split ? (await loadSplit(split, store)).train : loadLog(store);

/** Every customer and product attribute in the store (the side features of rating and accept / decline models). */
export const loadAttributes = (store: StoreAccess): Promise<SideAttributes> =>
  store.use(async (s) => {
    const out: SideAttributes = { customer: [], product: [] };
    for (const entity of ['customer', 'product'] as const) for await (const b of s.attributes(entity)) out[entity].push(...b);
    return out;
  });
