// Scoring events with a saved rating or accept / decline model: the store's events or a split's test
// events, with the customers' and products' current attributes from the store; the metrics against
// what happened, and optionally every prediction as CSV.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { NextbestError } from '../core/errors.js';
import { csvField } from '../data/csv-field.js';
import { oneClassReason, pointwiseWarning, score, targets } from '../eval/pointwise.js';
import type { PointwiseTask } from '../eval/pointwise-models.js';
import { distinctCustomers } from '../eval/small-sample.js';
import type { EventLog } from '../matrix/index.js';
import { EventModel } from '../models/fm/event-model.js';
import { loadAttributes, loadLog, loadSplit } from './data.js';
import { resolveModelPath } from './model-files.js';
import type { StoreAccess } from './store-access.js';

export interface PredictRequest {
  /** A model name or .nbm path; default fm-classification. */
  model?: string;
  /** Score this split's test events; default every event in the store. */
  split?: string;
  /** Write customer, product, time, actual and prediction per event to this CSV. */
  out?: string;
}

export interface PredictResult {
  model: string;
  task: PointwiseTask;
  events: number;
  customers: number;
  metrics: Record<string, number>;
  out: string | null;
  warning?: string;
  /** Why the metrics have no AUC (accept / decline events of one class only). */
  noAuc?: string;
}

export async function predictEvents(store: StoreAccess, req: PredictRequest): Promise<PredictResult> {
  const path = resolveModelPath(req.model ?? 'fm-classification', store.name);
  const model = EventModel.load(path);
  const log = req.split ? (await loadSplit(req.split, store)).test : await loadLog(store);
  if (log.length === 0) throw new NextbestError('NO_EVENTS', `there are no events to score in ${req.split ? `the test part of ${req.split}` : `the store ${store.name}`}`);
  const predicted = model.predict(log, await loadAttributes(store));
  const actual = targets(log, model.task);
  const metrics = score(model.task, actual, predicted);
  if (req.out) await writePredictions(req.out, log, actual, predicted);
  const customers = distinctCustomers(log.customer);
  const oneClass = model.task === 'classification' ? oneClassReason(actual) : undefined;
  const noAuc = oneClass && { noAuc: `the events ${oneClass}, so there is no AUC` };
  return { model: path, task: model.task, events: log.length, customers, metrics, out: req.out ?? null, ...pointwiseWarning(customers), ...noAuc };
}

async function writePredictions(path: string, log: EventLog, actual: Float64Array, predicted: Float64Array): Promise<void> {
  const out = createWriteStream(path);
  out.write('customer,product,time,actual,prediction\n');
  for (let start = 0; start < log.length; start += 10_000) {
    let text = '';
    for (let i = start; i < Math.min(log.length, start + 10_000); i++)
      text += `${csvField(log.customers.id(log.customer[i]))},${csvField(log.products.id(log.product[i]))},${new Date(log.time[i] * 1000).toISOString()},${actual[i]},${predicted[i]}\n`;
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
