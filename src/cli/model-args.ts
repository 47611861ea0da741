// What the model commands share: key=value parameters, where models are saved, and the event log
// or split they train and evaluate on (the store's events, or fixed split files).
import type { SideAttributes } from '../eval/pointwise-models.js';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NextbestError } from '../core/errors.js';
import { loadEventLog, type EventLog } from '../matrix/index.js';
import { parseSplitSpec, splitBySpec, type Split } from '../matrix/splits/index.js';
import { withStore, type CommonOptions } from './common.js';

export type RawParams = Record<string, string>;

/** What a command's model parameters may name. */
export interface ParamTargets {
  /** The command, for messages ("evaluate"). */
  command: string;
  /** The models it runs: a "model.key=value" pair must name one of them or of `alsoRuns`. */
  runs: readonly string[];
  /** Models run besides, which take only pairs that name them (evaluate's popularity baseline). */
  alsoRuns?: readonly string[];
  /** Every model it knows, listed when a pair names another. */
  known: readonly string[];
  /** How the pairs were given, for messages; default "--param". */
  label?: string;
}

/**
 * "key=value" pairs for each model a command runs: "lambda=300" goes to every model, "ease.lambda=300"
 * to ease alone. A pair naming a model the command does not run (or no model at all) is refused, so
 * no parameter is silently ignored; unknown keys are left to each model's schema.
 */
export function paramsByModel(pairs: readonly string[], targets: ParamTargets): Record<string, RawParams> {
  const all = [...(targets.alsoRuns ?? []), ...targets.runs];
  const out: Record<string, RawParams> = Object.fromEntries(all.map((m) => [m, {}]));
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new NextbestError('BAD_PARAMETER', `parameter "${pair}" is not key=value (e.g. lambda=300)`);
    let key = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const dot = key.indexOf('.');
    const model = dot > 0 ? key.slice(0, dot) : undefined;
    if (model !== undefined) {
      if (!all.includes(model))
        throw new NextbestError(
          'BAD_PARAMETER',
          `${targets.label ?? '--param'} ${pair} names model "${model}", which ${targets.command} does not run ` +
            `(it runs ${all.join(', ')}); known models: ${targets.known.join(', ')}`,
        );
      key = key.slice(dot + 1);
    }
    for (const m of model === undefined ? targets.runs : [model]) out[m][key] = value;
  }
  return out;
}

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The models folder beside the store. */
export const modelsDir = (store: string): string => join(dirname(store), 'models');

/** A model argument is a path (ends in .nbm) or a name saved in the models folder; default the newest. */
export function resolveModelPath(model: string | undefined, store: string): string {
  if (model?.endsWith('.nbm')) return model;
  const dir = modelsDir(store);
  if (model) return join(dir, `${model}.nbm`);
  const saved = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.nbm')) : [];
  if (!saved.length) throw new NextbestError('MODEL_NOT_FOUND', `no trained model in ${dir}; run nextbest train --model NAME first`);
  saved.sort((a, b) => statSync(join(dir, b)).mtimeMs - statSync(join(dir, a)).mtimeMs);
  return join(dir, saved[0]);
}

/** Every customer and product attribute in the store (the side features of rating and accept / decline models). */
export const storeAttributes = (opts: CommonOptions): Promise<SideAttributes> =>
  withStore(opts, async (store) => {
    const out: SideAttributes = { customer: [], product: [] };
    for (const entity of ['customer', 'product'] as const) for await (const b of store.attributes(entity)) out[entity].push(...b);
    return out;
  });

/** The store's whole event log. */
export const storeLog = (opts: CommonOptions): Promise<EventLog> => withStore(opts, (store) => loadEventLog(store));

/** A split named by a spec: files are read directly, every other kind cuts the store's events. */
export async function loadSplit(spec: string, opts: CommonOptions): Promise<Split> {
  const parsed = parseSplitSpec(spec);
  if (parsed.kind === 'files') return splitBySpec(parsed);
  const log = await storeLog(opts);
  if (log.length === 0) throw new NextbestError('NO_EVENTS', `the store ${opts.store} holds no events; run nextbest ingest first`);
  return splitBySpec(parsed, log);
}
