// Fitting a model on an event log in a worker thread (fit-worker.ts) and getting it back as a trained
// model in this thread: the log goes over as typed arrays and id lists, the fitted state and training
// history come back transferred. An abort ends the worker at once (nothing has been saved then).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { NextbestError, raisedInWorker, type SentError } from '../core/errors.js';
import { CsrMatrix, type EventLog, type InteractionOptions } from '../matrix/index.js';
import type { FitProgress, ModelState } from '../models/contract.js';
import { createModel } from '../models/registry.js';
import type { TrainedModel } from '../models/trained-model.js';

export interface FitJob {
  model: string;
  params: Readonly<Record<string, string>>;
  /** How events become interaction strengths (event weights), as in the calling thread. */
  interactions: InteractionOptions;
  log: Omit<EventLog, 'customers' | 'products' | 'contexts'> & { customers: string[]; products: string[]; contexts: string[] };
}

export type FitReply =
  | { progress: FitProgress }
  | { fitted: { state: ModelState; history: { indptr: Int32Array; indices: Int32Array; data: Float32Array }; meta: Record<string, unknown> } }
  | { error: SentError };

/** The compiled worker: beside this file in dist/, or dist/'s copy when this runs from the TypeScript sources (tests). */
function workerFile(): URL {
  const beside = new URL('./fit-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  const compiled = new URL('../../dist/src/app/fit-worker.js', import.meta.url);
  if (!existsSync(fileURLToPath(compiled))) throw new NextbestError('INTERNAL', `the training worker ${fileURLToPath(compiled)} is not built; run npm run build`);
  return compiled;
}

export function fitInWorker(
  model: string,
  params: Readonly<Record<string, string>>,
  log: EventLog,
  opts: { signal?: AbortSignal; onProgress?: (p: FitProgress) => void } = {},
  interactions: InteractionOptions = {},
): Promise<TrainedModel> {
  const job: FitJob = { model, params, interactions, log: { ...log, customers: log.customers.toJSON(), products: log.products.toJSON(), contexts: log.contexts.toJSON() } };
  return new Promise((resolve, reject) => {
    opts.signal?.throwIfAborted();
    const worker = new Worker(workerFile(), { workerData: job });
    const abort = (): void => {
      void worker.terminate();
      reject(opts.signal?.reason);
    };
    opts.signal?.addEventListener('abort', abort, { once: true });
    const settle = (): void => opts.signal?.removeEventListener('abort', abort);
    worker.on('message', (m: FitReply) => {
      if ('progress' in m) return opts.onProgress?.(m.progress);
      settle();
      void worker.terminate();
      if ('error' in m) return reject(raisedInWorker(m.error));
      const fitted = createModel(model, params);
      fitted.restore(m.fitted.state);
      const { indptr, indices, data } = m.fitted.history;
      resolve({
        model: fitted,
        customers: log.customers,
        products: log.products,
        history: new CsrMatrix(log.customers.size, log.products.size, indptr, indices, data),
        interactionOptions: interactions,
        features: {},
        meta: m.fitted.meta,
      });
    });
    worker.on('error', (e) => {
      settle();
      reject(e);
    });
  });
}
