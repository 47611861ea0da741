// Exporting a deployable pipeline: the saved model a name gives (checked before it is packed), the
// rules file's JSON and the store's offers, written as one .nbp file (pipeline-file.ts). A server
// started with it scores from the pipeline's model and reads histories and writes events in its store.
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseRules } from '../rules/load.js';
import { NextbestError } from '../core/errors.js';
import { decodeArtifact } from '../models/artifact.js';
import { trainedModelOf } from '../models/trained-model.js';
import { resolveModelPath } from './model-files.js';
import { writePipeline, type PipelineHeader } from './pipeline-file.js';
import type { StoreAccess } from './store-access.js';

export interface PipelineExportRequest {
  /** A saved model's name or .nbm path; default the newest saved. */
  model?: string;
  /** A JSON rules file, stored as it is. */
  rules?: string;
  out: string;
}

export interface PipelineExportResult {
  out: string;
  bytes: number;
  model: PipelineHeader['model'];
  offers: number;
  rules: boolean;
}

/** The rules file's JSON as given, once the rules module has checked it (a bad file is refused in one line naming the field). */
function readRules(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new NextbestError('FILE_NOT_FOUND', `no rules file at ${path}; check the --rules path`);
  }
  parseRules(text, path);
  return JSON.parse(text);
}

export async function exportPipeline(store: StoreAccess, req: PipelineExportRequest): Promise<PipelineExportResult> {
  const modelPath = resolveModelPath(req.model, store.name);
  let bytes: Buffer;
  try {
    bytes = readFileSync(modelPath);
  } catch {
    throw new NextbestError('MODEL_NOT_FOUND', `no model at ${modelPath}; train one with nextbest train --model NAME`);
  }
  const trained = trainedModelOf(decodeArtifact(bytes, modelPath), modelPath); // a corrupt or non-ranking model is refused here
  const rules = req.rules === undefined ? null : readRules(req.rules);
  const offers = await store.use((s) => s.offers());
  const header: PipelineHeader = {
    createdAt: new Date().toISOString(),
    source: { store: store.name, model: modelPath },
    model: {
      name: basename(modelPath, '.nbm'),
      model: trained.model.name,
      params: trained.model.params,
      customers: trained.customers.size,
      products: trained.products.size,
      features: trained.features,
      trainedAt: typeof trained.meta.trainedAt === 'string' ? trained.meta.trainedAt : statSync(modelPath).mtime.toISOString(),
    },
    rules,
    rulesFile: req.rules ?? null,
    offers,
  };
  const written = writePipeline(req.out, header, bytes);
  return { out: req.out, bytes: written, model: header.model, offers: offers.length, rules: rules !== null };
}
