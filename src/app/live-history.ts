// A customer's history as known now: the model's training row plus the store's events after the
// model's training cut-off (live events since training), weighted as training weighted events.
// Live events count by arrival: an event the live log received after training read the store counts
// even when its timestamp (a client's clock) is before the cut-off; loaded events count by timestamp. This is
// what request-time scoring ranks from and excludes, so a product just acquired is not offered again
// and a click counts at once, without retraining.
import { buildInteractions, CsrMatrix, EventLogBuilder } from '../matrix/index.js';
import type { TrainedModel } from '../models/trained-model.js';
import type { Store } from '../store/store.js';

export interface CurrentHistory {
  /** 1 x products: training strengths plus live strengths. */
  row: CsrMatrix;
  /** Live events that reached the row (events on products the model does not know are left out). */
  liveEvents: number;
  /** Their products, oldest first (what sequence models read after the trained history: ScoringRequest.recent). */
  recent: Int32Array;
}

/** The latest event time the model was trained on (epoch seconds), when its file records it. */
export const trainedThrough = (trained: TrainedModel): number | undefined =>
  typeof trained.meta.trainedThrough === 'number' ? trained.meta.trainedThrough : undefined;

/** When training read the store (older model files: when training ended); live events received later count whatever their time. */
export const readAt = (trained: TrainedModel): Date | undefined => {
  const at = trained.meta.readAt ?? trained.meta.trainedAt;
  return typeof at === 'string' ? new Date(at) : undefined;
};

export async function currentHistory(trained: TrainedModel, store: Store, customerId: string): Promise<CurrentHistory> {
  const u = trained.customers.index(customerId);
  const trainedRow = u >= 0 ? trained.history.row(u) : { indices: new Int32Array(0), data: new Float32Array(0) };
  const cutoff = trainedThrough(trained);
  const cells = new Map<number, number>();
  trainedRow.indices.forEach((p, t) => cells.set(p, trainedRow.data[t]));
  let liveEvents = 0;
  const recent: number[] = [];
  if (cutoff !== undefined) {
    const live = await store.customerEvents(customerId, new Date(cutoff * 1000), readAt(trained));
    const builder = new EventLogBuilder();
    builder.addCustomer(customerId);
    for (const id of trained.products.ids()) builder.addProduct(id);
    for (let i = 0; i < live.length; i++) {
      if (!trained.products.has(live.product[i])) continue;
      builder.add(customerId, live.product[i], live.time[i], live.type[i], live.value[i]);
      liveEvents++;
    }
    const order = Array.from({ length: live.length }, (_, i) => i).filter((i) => trained.products.has(live.product[i]));
    order.sort((a, b) => live.time[a] - live.time[b] || a - b);
    for (const i of order) recent.push(trained.products.index(live.product[i]));
    const strengths = buildInteractions(builder.build(), { ...trained.interactionOptions, referenceTime: cutoff }).userItem.row(0);
    strengths.indices.forEach((p, t) => cells.set(p, (cells.get(p) ?? 0) + strengths.data[t]));
  }
  if (trained.interactionOptions.binary) for (const p of cells.keys()) cells.set(p, 1);
  const indices = Int32Array.from([...cells.keys()].sort((a, b) => a - b));
  const data = Float32Array.from(indices, (p) => cells.get(p) as number);
  return { row: new CsrMatrix(1, trained.products.size, Int32Array.of(0, indices.length), indices, data), liveEvents, recent: Int32Array.from(recent) };
}

/**
 * The current histories of the customers that have live events since training (the others score from
 * training alone). `mayHaveLiveEvents` (a server's own account of who has them) spares the store's
 * query for the other customers.
 */
export async function liveHistories(
  trained: TrainedModel,
  store: Store,
  customerIds: readonly string[],
  mayHaveLiveEvents: (customer: string) => boolean = () => true,
): Promise<Map<string, CurrentHistory>> {
  const out = new Map<string, CurrentHistory>();
  if (trainedThrough(trained) === undefined) return out;
  for (const id of new Set(customerIds)) {
    if (!mayHaveLiveEvents(id)) continue;
    const h = await currentHistory(trained, store, id);
    if (h.liveEvents > 0) out.set(id, h);
  }
  return out;
}
