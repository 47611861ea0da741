// What the model commands share: key=value parameters for each model they run.
import { NextbestError } from '../core/errors.js';

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
