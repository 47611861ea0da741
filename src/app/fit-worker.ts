// The worker thread a server's background training fits in, so a long synchronous fit (EASE's inverse,
// item-kNN's similarities) does not hold up requests. It receives the event log (typed arrays and id
// lists), fits the model and sends back its state and training history (transferred, not copied), with
// progress on the way; the thread that started it saves the model (fit-in-worker.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage, isNextbestError, sendable } from '../core/errors.js';
import { IdMap, type EventLog } from '../matrix/index.js';
import { createModel } from '../models/registry.js';
import { fitModel } from '../models/trained-model.js';
import type { FitJob, FitReply } from './fit-in-worker.js';

const job = workerData as FitJob;
const post = (m: FitReply, transfer: ArrayBuffer[] = []): void => parentPort?.postMessage(m, transfer);

try {
  const { log: l } = job;
  const log: EventLog = {
    ...l,
    customers: IdMap.fromJSON(l.customers),
    products: IdMap.fromJSON(l.products),
    contexts: IdMap.fromJSON(l.contexts),
  };
  const trained = await fitModel(createModel(job.model, job.params), log, job.interactions, { onProgress: (progress) => post({ progress }) });
  const state = trained.model.state();
  const { indptr, indices, data } = trained.history;
  const arrays = [...Object.values(state.arrays), indptr, indices, data];
  const buffers = [...new Set(arrays.map((a) => a.buffer))].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
  post({ fitted: { state, history: { indptr, indices, data }, meta: trained.meta } }, buffers);
} catch (e) {
  post({ error: isNextbestError(e) ? sendable(e) : { code: 'INTERNAL', message: `a fault inside nextbest while fitting: ${errorMessage(e)}` } });
}
