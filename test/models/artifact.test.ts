import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeArtifact, encodeArtifact, readArtifact, writeArtifact, type ModelArtifact } from '../../src/models/artifact.js';

const artifact: ModelArtifact = {
  model: 'ease',
  params: { lambda: 300 },
  state: {
    arrays: {
      weights: Float32Array.from([1.5, -2, 3.25]),
      index: Int32Array.from([7, 8, 9, 10, 11]),
      exact: Float64Array.from([Math.PI]),
      flags: Uint8Array.from([1, 0, 1]),
    },
    json: { products: ['P1', 'P2', 'P3'] },
  },
  meta: { trainedAt: '2026-11-23' },
};

describe('model artifacts', () => {
  it('round-trips names, params, typed arrays and JSON exactly', () => {
    const back = decodeArtifact(encodeArtifact(artifact));
    expect(back.model).toBe('ease');
    expect(back.params).toEqual({ lambda: 300 });
    expect(back.meta).toEqual({ trainedAt: '2026-11-23' });
    expect(back.state.json).toEqual({ products: ['P1', 'P2', 'P3'] });
    for (const [name, a] of Object.entries(artifact.state.arrays)) {
      expect(back.state.arrays[name].constructor).toBe(a.constructor);
      expect(Array.from(back.state.arrays[name])).toEqual(Array.from(a));
    }
  });

  it('writes atomically and refuses corrupted, truncated or foreign files with one clear error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nextbest-artifact-'));
    const path = join(dir, 'm.nbm');
    writeArtifact(path, artifact);
    expect(readArtifact(path).model).toBe('ease');
    const bytes = readFileSync(path);
    const flipped = Buffer.from(bytes);
    flipped[bytes.length - 40] ^= 0xff;
    writeFileSync(path, flipped);
    expect(() => readArtifact(path)).toThrow(/checksum mismatch: the file is truncated or corrupted/);
    expect(() => readArtifact(path)).toThrow(expect.objectContaining({ code: 'CORRUPT_MODEL', status: 409, exit: 2 }));
    writeFileSync(path, bytes.subarray(0, bytes.length - 10));
    expect(() => readArtifact(path)).toThrow(/checksum mismatch/);
    writeFileSync(path, 'hello, not a model');
    expect(() => readArtifact(path)).toThrow(/no nextbest model header/);
    const future = Buffer.from(bytes);
    future.writeUInt32LE(99, 8);
    writeFileSync(path, future);
    expect(() => readArtifact(path)).toThrow(/format version 99/);
    expect(() => readArtifact(join(dir, 'missing.nbm'))).toThrow(/no model at/);
  });
});
