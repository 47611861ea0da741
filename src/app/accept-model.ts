// The accept / decline model that expected value needs: `nextbest train --task classification --model fm`
// saves it as fm-classification.nbm in the models folder. Optional: without it, lists carry their
// offers but no acceptance probability, and keep the recommender's order.
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { NextbestError } from '../core/errors.js';
import { EventModel } from '../models/fm/event-model.js';
import { resolveModelPath } from './model-files.js';

export interface AcceptModel {
  name: string;
  model: EventModel;
}

export const DEFAULT_ACCEPT_MODEL = 'fm-classification';

/**
 * The accept / decline model a name or .nbm path gives (MODEL_NOT_FOUND when it is missing), or by
 * default fm-classification when it was trained (null when not). A rating model is refused.
 */
export function loadAcceptModel(storeName: string, model?: string): AcceptModel | null {
  const path = resolveModelPath(model ?? DEFAULT_ACCEPT_MODEL, storeName);
  if (!existsSync(path)) {
    if (model === undefined) return null;
    throw new NextbestError('MODEL_NOT_FOUND', `no accept / decline model at ${path}; run nextbest train --task classification --model fm first`);
  }
  const loaded = EventModel.load(path);
  if (loaded.task !== 'classification')
    throw new NextbestError('BAD_OPTION', `${path} predicts ratings, not acceptance; train one with nextbest train --task classification --model fm`);
  return { name: basename(path, '.nbm'), model: loaded };
}
