// TensorFlow.js loads only when a neural model trains: the CLI, the registry and a saved neural model's
// scoring (plain TypeScript over its exported weights) start without it. Checked in a fresh process,
// whose CommonJS module cache shows whether @tensorflow was required.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const loaded = (script: string): string[] =>
  JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', `${script}
      const { createRequire } = await import('node:module');
      const cache = createRequire(import.meta.url).cache;
      console.log(JSON.stringify(Object.keys(cache).filter((k) => k.includes('@tensorflow'))));`], { cwd: resolve('.'), encoding: 'utf8' }),
  );

describe('TensorFlow.js is loaded on first use', () => {
  it('is not loaded by the registry or the CLI entry points', () => {
    expect(loaded(`await import('${resolve('dist/src/models/registry.js')}'); await import('${resolve('dist/src/app/recommend.js')}');`)).toEqual([]);
  });

  it('is loaded by loadTf, with the wasm backend', () => {
    const files = loaded(`const { loadTf } = await import('${resolve('dist/src/models/neural/tf.js')}'); const tf = await loadTf(); if (tf.getBackend() !== 'wasm') throw new Error(tf.getBackend());`);
    expect(files.some((f) => f.includes('tfjs-backend-wasm'))).toBe(true);
  });
});
