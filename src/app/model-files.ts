// Where saved models live (the models folder beside the store), which file a model argument names,
// and loading a ranking model ready to score: with side features, the store's current attributes
// encoded as in training.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { storeFolder } from './store-folder.js';
import { NextbestError } from '../core/errors.js';
import { loadTrainedModel, type TrainedModel } from '../models/trained-model.js';
import { Dataset } from './dataset.js';
import type { StoreAccess } from './store-access.js';

/** The models folder beside the store (see store-folder.ts). */
export const modelsDir = (store: string): string => join(storeFolder(store), 'models');

/** Where train --task rating|classification saves the FMs that score events, not lists (never a default ranking model). */
const EVENT_MODEL_FILES = new Set(['fm-rating.nbm', 'fm-classification.nbm']);

/** A model argument is a path (ends in .nbm) or a name saved in the models folder; default the newest ranking model. */
export function resolveModelPath(model: string | undefined, store: string): string {
  if (model?.endsWith('.nbm')) return model;
  const dir = modelsDir(store);
  if (model) return join(dir, `${model}.nbm`);
  const saved = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.nbm') && !EVENT_MODEL_FILES.has(f)) : [];
  if (!saved.length) throw new NextbestError('MODEL_NOT_FOUND', `no trained model in ${dir}; run nextbest train --model NAME first`);
  saved.sort((a, b) => statSync(join(dir, b)).mtimeMs - statSync(join(dir, a)).mtimeMs);
  return join(dir, saved[0]);
}

/**
 * The saved ranking model a model argument names. A model trained with customer or product attributes
 * scores from the store's current ones, encoded as in training (its saved ones when there is no store).
 */
export const loadModelForScoring = (store: StoreAccess, model: string | undefined): Promise<TrainedModel> =>
  readyForScoring(store, loadTrainedModel(resolveModelPath(model, store.name)));

/** A loaded ranking model given the store's current side features, encoded as in training, when it uses them. */
export async function readyForScoring(store: StoreAccess, trained: TrainedModel): Promise<TrainedModel> {
  const { customer, product } = trained.features;
  if ((customer || product) && trained.model.useFeatures && store.exists())
    trained.model.useFeatures(await new Dataset(store).encode(trained.features, trained.customers, trained.products));
  return trained;
}
