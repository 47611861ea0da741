// A scratch store for server tests: the synthetic bank data generated, ingested and a model trained by
// the built CLI, then `build()` over it, as `nextbest serve` does.
import { join } from 'node:path';
import { expect } from 'vitest';
import { build, type App } from '../../src/server/build.js';
import type { ServerOptions } from '../../src/server/context.js';
import { runCli, scratchDir } from '../cli/run-cli.js';

export interface ServedStore {
  dir: string;
  store: string;
}

/** Generates `customers` synthetic customers (with the Santander holdings file only when asked), ingests them and trains each model (`name key=value ... [--out F.nbm]`). */
export function servedStore(models: string[], customers = 600, seed = 7, opts: { santander?: boolean } = {}): ServedStore {
  const dir = scratchDir();
  const run = (args: string[]): void => {
    const r = runCli(args, dir);
    expect(r.code, r.stderr).toBe(0);
  };
  run(['generate', '--customers', String(customers), '--seed', String(seed), ...(opts.santander ? [] : ['--no-santander'])]);
  run(['ingest', join('.nextbest', 'synthetic')]);
  for (const m of models) run(['train', '--model', ...m.split(' ')]);
  return { dir, store: join(dir, '.nextbest', 'store.duckdb') };
}

export const buildServer = (s: ServedStore, opts: Partial<ServerOptions> = {}): Promise<App> => build({ store: s.store, ...opts });

/** A GET through app.inject(): its status and JSON body. */
export async function getJson(app: App, url: string): Promise<{ status: number; body: any }> {
  const r = await app.inject({ method: 'GET', url });
  return { status: r.statusCode, body: r.json() };
}
