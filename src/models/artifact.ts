// Saved models: a versioned binary file. Layout:
//   "NXTBMDL\0" (8 bytes) | format version u32 | header length u32 | header JSON (utf-8) | padding to 8 |
//   array bytes, each 8-byte aligned | SHA-256 of everything before it (32 bytes)
// The header names the model, its params, its JSON state and a directory of typed arrays. Loading
// checks magic, version and checksum, then views the arrays in place: no per-element parsing.
// Writes go to a temporary file that is fsynced and renamed, so a crash never leaves half a model.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { NextbestError } from '../core/errors.js';
import { seal, unseal, writeDurably } from '../core/sealed-file.js';
import type { ArtifactArray, ModelState } from './contract.js';

const MAGIC = Buffer.from('NXTBMDL\0', 'latin1');
export const ARTIFACT_FORMAT_VERSION = 1;
const DTYPES = { Int32Array, Float32Array, Float64Array, Uint8Array } as const;
type Dtype = keyof typeof DTYPES;

export interface ModelArtifact {
  model: string;
  params: object;
  state: ModelState;
  /** Anything the caller needs back (id lists, training options, metrics). */
  meta: Record<string, unknown>;
}

interface Header {
  model: string;
  params: object;
  json: Record<string, unknown>;
  meta: Record<string, unknown>;
  arrays: { name: string; dtype: Dtype; offset: number; length: number }[];
}

const align8 = (n: number): number => (n + 7) & ~7;

function dtypeOf(a: ArtifactArray): Dtype {
  const name = a.constructor.name as Dtype;
  if (!(name in DTYPES)) throw new NextbestError('INTERNAL', `cannot save a ${name} in a model artifact`);
  return name;
}

export function encodeArtifact(artifact: ModelArtifact): Buffer {
  const entries = Object.entries(artifact.state.arrays);
  let offset = 0;
  const arrays = entries.map(([name, a]) => {
    const entry = { name, dtype: dtypeOf(a), offset, length: a.length };
    offset = align8(offset + a.byteLength);
    return entry;
  });
  const header: Header = { model: artifact.model, params: artifact.params, json: artifact.state.json, meta: artifact.meta, arrays };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const dataStart = align8(MAGIC.length + 8 + headerBytes.length);
  const body = Buffer.alloc(dataStart + offset);
  MAGIC.copy(body, 0);
  body.writeUInt32LE(ARTIFACT_FORMAT_VERSION, 8);
  body.writeUInt32LE(headerBytes.length, 12);
  headerBytes.copy(body, 16);
  entries.forEach(([, a], i) => {
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(body, dataStart + arrays[i].offset);
  });
  return seal(body);
}

export function decodeArtifact(bytes: Buffer, source = 'the artifact'): ModelArtifact {
  const bad = (why: string): NextbestError =>
    new NextbestError('CORRUPT_MODEL', `${source} is not a usable nextbest model (${why}); train it again with nextbest train`);
  if (bytes.length < MAGIC.length + 8 + 32 || !bytes.subarray(0, 8).equals(MAGIC)) throw bad('no nextbest model header');
  const version = bytes.readUInt32LE(8);
  if (version !== ARTIFACT_FORMAT_VERSION) throw bad(`format version ${version}, this nextbest reads ${ARTIFACT_FORMAT_VERSION}`);
  const body = unseal(bytes);
  if (!body) throw bad('checksum mismatch: the file is truncated or corrupted');
  const headerLength = body.readUInt32LE(12);
  if (16 + headerLength > body.length) throw bad('header runs past the end');
  const header = JSON.parse(body.toString('utf8', 16, 16 + headerLength)) as Header;
  const dataStart = align8(16 + headerLength);
  // Copy the data section once into an aligned buffer, then view every array in place.
  const data = new Uint8Array(body.length - dataStart);
  data.set(body.subarray(dataStart));
  const arrays: Record<string, ArtifactArray> = {};
  for (const a of header.arrays) {
    const Ctor = DTYPES[a.dtype];
    if (!Ctor || a.offset + a.length * Ctor.BYTES_PER_ELEMENT > data.length) throw bad(`array ${a.name} is out of bounds`);
    arrays[a.name] = new Ctor(data.buffer, a.offset, a.length);
  }
  return { model: header.model, params: header.params, state: { arrays, json: header.json }, meta: header.meta };
}

export function writeArtifact(path: string, artifact: ModelArtifact): void {
  writeDurably(path, encodeArtifact(artifact));
}

export function readArtifact(path: string): ModelArtifact {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new NextbestError('MODEL_NOT_FOUND', `no model at ${path}; train one with nextbest train --model NAME`);
  }
  return decodeArtifact(bytes, path);
}

/** A saved model's name, params and meta from its header alone (no arrays, no checksum check): for listing. */
export type ArtifactHeader = Pick<ModelArtifact, 'model' | 'params' | 'meta'>;

export function readArtifactHeader(path: string): ArtifactHeader | null {
  const fd = openSync(path, 'r');
  try {
    const start = Buffer.alloc(16);
    if (readSync(fd, start, 0, 16, 0) < 16 || !start.subarray(0, 8).equals(MAGIC) || start.readUInt32LE(8) !== ARTIFACT_FORMAT_VERSION) return null;
    const header = Buffer.alloc(start.readUInt32LE(12));
    if (readSync(fd, header, 0, header.length, 16) < header.length) return null;
    const h = JSON.parse(header.toString('utf8')) as Header;
    return { model: h.model, params: h.params, meta: h.meta };
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
