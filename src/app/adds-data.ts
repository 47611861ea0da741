// The adds task's data (Santander: which products each customer adds next month): the store's monthly
// holdings as customer state, and each model's training set from the months before the one predicted.
// Popularity counts the previous months' adds; the co-holding and factor models learn from what
// customers hold at the end of the last month; adds-logit from every month's state -> adds (the
// holdings travel with the training set). Every model ranks from, and excludes, what is held then.
import { NextbestError } from '../core/errors.js';
import { buildInteractions, EventLogBuilder, type EventLog } from '../matrix/index.js';
import { MonthlyHoldings } from '../matrix/holdings.js';
import type { TrainingSet } from '../models/contract.js';
import type { Dataset, ModelData, ModelRequest } from './dataset.js';
import type { StoreAccess } from './store-access.js';

/** The store's holdings, month by month; at least two months (a month's adds need the month before). */
export async function loadHoldings(store: StoreAccess): Promise<MonthlyHoldings> {
  const h = await store.use((s) => MonthlyHoldings.load(s.holdings()));
  const n = h.months.length;
  if (n < 2)
    throw new NextbestError(
      'UNSUITABLE_DATA',
      `the adds task needs holdings for at least two months (what a customer adds is what they hold and did not the month before), but the store ${store.name} holds ${n === 0 ? 'no holdings' : `one month (${h.monthName(0)})`}; ingest a Santander-layout file with two or more months`,
    );
  return h;
}

/** Index of the month to predict: the given one (YYYY-MM-DD, a snapshot date of the store), default the last. */
export function monthToPredict(h: MonthlyHoldings, month: string | undefined): number {
  const last = h.months.length - 1;
  if (month === undefined) return last;
  const t = h.monthIndex(month);
  const range = `${h.monthName(1)} to ${h.monthName(last)}`;
  if (t < 0) throw new NextbestError('BAD_OPTION', `--month ${month} is not a month of the store's holdings; give a snapshot date from ${range}`);
  if (t === 0) throw new NextbestError('BAD_OPTION', `--month ${month} is the first month of the store's holdings, with no month before to predict from; give one from ${range}`);
  return t;
}

/** Events for a model to learn from: every month's adds (after the first), or what is held in the last month. */
export function addsLog(h: MonthlyHoldings, what: 'adds' | 'held'): EventLog {
  const b = new EventLogBuilder({ customers: h.customers, products: h.products });
  const T = h.months.length;
  const add = (u: number, mask: number, t: number): void => {
    for (let j = 0; mask >>> j; j++) if ((mask >>> j) & 1) b.add(h.customers.id(u), h.products.id(j), h.months[t], 'acquire', 1);
  };
  if (what === 'adds') for (let t = 1; t < T; t++) for (let u = 0; u < h.customers.size; u++) add(u, h.added(u, t), t);
  else for (let u = 0; u < h.customers.size; u++) add(u, h.masks[T - 1][u], T - 1);
  return b.build();
}

/** Popularity on the adds task counts what customers added; every other model learns from holdings. */
const learnsFrom = (model: string): 'adds' | 'held' => (model === 'popularity' ? 'adds' : 'held');

/** The training set on holdings alone (no side features), shared by the evaluation's coverage and diversity figures. */
export function heldTrainingSet(h: MonthlyHoldings): TrainingSet {
  const log = addsLog(h, 'held');
  return { log, interactions: buildInteractions(log, { binary: true }), holdings: h };
}

/** One model's training set on the holdings `h` (the months before the one to predict), with the side features it needs. */
export async function addsTrainingSet(dataset: Dataset, model: ModelRequest, h: MonthlyHoldings, held?: TrainingSet): Promise<ModelData> {
  const from = learnsFrom(model.name);
  const log = from === 'held' && held ? held.log : addsLog(h, from);
  const { data, features } = await dataset.forModel(model, log, { binary: true }, from === 'held' ? held : undefined);
  return { data: { ...data, holdings: h }, features };
}
