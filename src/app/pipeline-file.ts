// A deployable pipeline (.nbp): one versioned, checksummed file with everything a server needs besides
// the store it reads histories from and writes events to. Layout:
//   "NXTBPIP\0" (8 bytes) | format version u32 | header length u32 | header JSON (utf-8) |
//   the saved model's .nbm bytes as they are | SHA-256 of everything before it (32 bytes)
// The header holds the rules (the rules file's JSON as given) and the offers; the embedded model holds
// the fitted state, the id maps of its index space, the training history and the feature encoding.
import { readFileSync } from 'node:fs';
import { NextbestError } from '../core/errors.js';
import { seal, unseal, writeDurably } from '../core/sealed-file.js';
import type { Offer } from '../data/model.js';
import { decodeArtifact } from '../models/artifact.js';
import { trainedModelOf, type TrainedModel } from '../models/trained-model.js';
import type { FeatureEncoding } from '../models/needs.js';

const MAGIC = Buffer.from('NXTBPIP\0', 'latin1');
export const PIPELINE_FORMAT_VERSION = 1;

export interface PipelineHeader {
  createdAt: string;
  /** The store and the model file it was exported from. */
  source: { store: string; model: string };
  model: { name: string; model: string; params: object; customers: number; products: number; features: FeatureEncoding; trainedAt: string | null };
  /** The rules file's JSON as given (validated by the rules module where it exists), or null. */
  rules: unknown;
  rulesFile: string | null;
  offers: Offer[];
}

export interface Pipeline {
  header: PipelineHeader;
  trained: TrainedModel;
}

export function writePipeline(path: string, header: PipelineHeader, model: Buffer): number {
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const start = Buffer.alloc(16);
  MAGIC.copy(start, 0);
  start.writeUInt32LE(PIPELINE_FORMAT_VERSION, 8);
  start.writeUInt32LE(headerBytes.length, 12);
  const bytes = seal(Buffer.concat([start, headerBytes, model]));
  writeDurably(path, bytes);
  return bytes.length;
}

const revive = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));

export function readPipeline(path: string): Pipeline {
  const bad = (why: string): NextbestError =>
    new NextbestError('CORRUPT_MODEL', `${path} is not a usable nextbest pipeline (${why}); export it again with nextbest pipeline export`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new NextbestError('FILE_NOT_FOUND', `no pipeline at ${path}; export one with nextbest pipeline export --model NAME --out FILE.nbp`);
  }
  if (bytes.length < 16 || !bytes.subarray(0, 8).equals(MAGIC)) throw bad('no nextbest pipeline header');
  const version = bytes.readUInt32LE(8);
  if (version !== PIPELINE_FORMAT_VERSION) throw bad(`format version ${version}, this nextbest reads ${PIPELINE_FORMAT_VERSION}`);
  const body = unseal(bytes);
  if (!body) throw bad('checksum mismatch: the file is truncated or corrupted');
  const headerEnd = 16 + body.readUInt32LE(12);
  if (headerEnd > body.length) throw bad('header runs past the end');
  const header = JSON.parse(body.toString('utf8', 16, headerEnd)) as PipelineHeader;
  header.offers = header.offers.map((o) => ({ ...o, validFrom: revive(o.validFrom), validTo: revive(o.validTo) }));
  const trained = trainedModelOf(decodeArtifact(body.subarray(headerEnd), `the model in ${path}`), `the model in ${path}`);
  return { header, trained };
}
