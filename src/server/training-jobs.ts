// Training in the background: a job is queued, then trains (one job at a time, on the store the server
// holds, through the service layer's trainModel with the fit in a worker thread), saves its model in the
// models folder and, when asked, activates it. Its state and progress are kept for polling.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { modelsDir } from '../app/model-files.js';
import type { StoreAccess } from '../app/store-access.js';
import { trainModel, type TrainResult } from '../app/train.js';
import { isNextbestError, NextbestError, sendable, type SentError } from '../core/errors.js';
import type { ActiveModel } from './active-model.js';

export type JobState = 'queued' | 'running' | 'done' | 'failed';

export interface TrainingRequest {
  model: string;
  params: Record<string, string>;
  /** The saved model's name (default the model's). */
  name: string;
  /** Activate the model once it is saved. */
  activate: boolean;
}

export interface TrainingJob {
  id: string;
  request: TrainingRequest;
  state: JobState;
  /** 0 to 1: loading the events is 0.05, fitting runs to 0.95 by iterations, saving and activating end at 1. */
  progress: number;
  /** What the job is doing now. */
  phase: 'queued' | 'loading' | 'fitting' | 'saving' | 'activating' | 'done' | 'failed';
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  result: Omit<TrainResult, 'params'> | null;
  activated: boolean;
  error: SentError | null;
}

/** How many finished jobs are kept for polling. */
const KEPT = 100;

export class TrainingJobs {
  private readonly jobs = new Map<string, TrainingJob>();
  private readonly stop = new AbortController();
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: StoreAccess,
    private readonly models: ActiveModel,
    /** Told about a failure that is not a NextbestError (a fault), whose details the job does not show. */
    private readonly logFault: (e: unknown) => void = () => {},
  ) {}

  submit(request: TrainingRequest): TrainingJob {
    if (this.stop.signal.aborted) throw new NextbestError('INTERRUPTED', 'the server is shutting down; send the training request again once it is back');
    const job: TrainingJob = {
      id: randomUUID(),
      request,
      state: 'queued',
      progress: 0,
      phase: 'queued',
      createdAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
      result: null,
      activated: false,
      error: null,
    };
    this.jobs.set(job.id, job);
    this.forgetOld();
    this.chain = this.chain.then(() => this.run(job));
    return job;
  }

  /** A job by id; JOB_NOT_FOUND when there is none (or it was forgotten). */
  get(id: string): TrainingJob {
    const job = this.jobs.get(id);
    if (!job) throw new NextbestError('JOB_NOT_FOUND', `no training job ${id}; POST /v1/models/train starts one (the last ${KEPT} are kept)`);
    return job;
  }

  /** Stops the running job between iterations, fails the queued ones and waits until none runs. */
  async close(): Promise<void> {
    this.stop.abort(new NextbestError('INTERRUPTED', 'the server shut down before the training finished; nothing was saved, train it again'));
    await this.chain;
  }

  private async run(job: TrainingJob): Promise<void> {
    const { request } = job;
    job.startedAt = new Date().toISOString();
    job.state = 'running';
    job.phase = 'loading';
    job.progress = 0.05;
    try {
      this.stop.signal.throwIfAborted();
      const result = await trainModel(this.store, {
        model: request.model,
        params: request.params,
        out: join(modelsDir(this.store.name), `${request.name}.nbm`),
        signal: this.stop.signal,
        inWorker: true,
        onProgress: (p) => {
          job.phase = 'fitting';
          job.progress = Math.min(0.95, 0.05 + 0.9 * Math.min(1, p.iteration / Math.max(1, p.total))); // 0.05 + 0.9 is 0.9500000000000001
        },
        beforeWrite: async () => {
          this.stop.signal.throwIfAborted();
          job.phase = 'saving';
          job.progress = 0.95;
        },
      });
      const { params: _, ...rest } = result;
      job.result = rest;
      if (request.activate) {
        job.phase = 'activating';
        const served = await this.models.activate(result.out);
        await this.store.use((store) => store.setActiveModel(served.name), 'write');
        job.activated = true;
      }
      job.state = 'done';
      job.phase = 'done';
      job.progress = 1;
    } catch (e) {
      job.state = 'failed';
      job.phase = 'failed';
      if (!isNextbestError(e)) this.logFault(e);
      job.error = isNextbestError(e) ? sendable(e) : { code: 'INTERNAL', message: 'a fault inside nextbest while training; the server log has the details' };
    } finally {
      job.finishedAt = new Date().toISOString();
    }
  }

  private forgetOld(): void {
    const finished = [...this.jobs.values()].filter((j) => j.state === 'done' || j.state === 'failed');
    for (const j of finished.slice(0, Math.max(0, finished.length - KEPT))) this.jobs.delete(j.id);
  }
}
