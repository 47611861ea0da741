// The models saved in the models folder beside the store, described from their headers (the arrays are
// not read and the checksum is checked only when a model is loaded): what model with which parameters,
// when and on what it was trained, its size, and the newest evaluation figures of that model with those
// parameters from the reports folder.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { NextbestError } from '../core/errors.js';
import { readArtifactHeader } from '../models/artifact.js';
import { modelsDir } from './model-files.js';
import { latestEvaluation, reportsDir, type EvaluationFigures } from './reports.js';

export interface SavedModel {
  /** The file name without .nbm: what activation names. */
  name: string;
  path: string;
  /** The registry model (ease, als, ...), fm-rating / fm-classification for event models, null when the header does not read. */
  model: string | null;
  /** Ranking models serve recommendations; rating and accept / decline models are for predict. */
  task: 'ranking' | 'rating' | 'classification' | null;
  params: Record<string, unknown>;
  /** When it was trained: recorded by nextbest train, else the file's modification time. */
  trainedAt: string;
  trainedAtFrom: 'model' | 'file';
  /** Events it was fitted on and the split whose train part they were (null: every event in the store), when recorded. */
  events: number | null;
  split: string | null;
  fitSeconds: number | null;
  bytes: number;
  evaluation: EvaluationFigures | null;
}

const taskOf = (model: string): SavedModel['task'] => (model === 'fm-rating' ? 'rating' : model === 'fm-classification' ? 'classification' : 'ranking');

const numberOrNull = (v: unknown): number | null => (typeof v === 'number' ? v : null);

function describe(path: string, reports: string): SavedModel {
  const stat = statSync(path);
  const header = readArtifactHeader(path);
  const meta = header?.meta ?? {};
  const params = (header?.params ?? {}) as Record<string, unknown>;
  const recorded = typeof meta.trainedAt === 'string' ? meta.trainedAt : null;
  return {
    name: basename(path, '.nbm'),
    path,
    model: header?.model ?? null,
    task: header ? taskOf(header.model) : null,
    params,
    trainedAt: recorded ?? stat.mtime.toISOString(),
    trainedAtFrom: recorded ? 'model' : 'file',
    events: numberOrNull(meta.events),
    split: typeof meta.split === 'string' ? meta.split : null,
    fitSeconds: numberOrNull(meta.fitSeconds),
    bytes: stat.size,
    evaluation: header && taskOf(header.model) === 'ranking' ? latestEvaluation(reports, header.model, params) : null,
  };
}

/** Every saved model beside the store, by name. */
export function savedModels(store: string): SavedModel[] {
  const dir = modelsDir(store);
  if (!existsSync(dir)) return [];
  const reports = reportsDir(store);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.nbm'))
    .sort()
    .map((f) => describe(join(dir, f), reports));
}

/** A saved model's name as an API client gives it: letters, digits, dot, dash and underscore, no path. */
export const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The file of a saved model by name; MODEL_NOT_FOUND when there is none. */
export function savedModelPath(store: string, name: string): string {
  const path = join(modelsDir(store), `${name}.nbm`);
  if (!MODEL_NAME.test(name) || !existsSync(path))
    throw new NextbestError('MODEL_NOT_FOUND', `no saved model "${name}" in ${modelsDir(store)}; GET /v1/models lists them, POST /v1/models/train trains one`);
  return path;
}
