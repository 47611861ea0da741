// The CLI's split specs ("random:0.75:42", "temporal:2016-01-01", "files:a.tsv,b.tsv", ...) parsed to a discriminated union and back.
import { NextbestError } from '../../core/errors.js';
import { DEFAULT_SEED } from './options.js';

export type SplitSpec =
  | { readonly kind: 'random'; readonly ratio: number; readonly seed: number }
  | { readonly kind: 'temporal'; /** Epoch seconds. */ readonly cutoff: number }
  | { readonly kind: 'temporal-ratio'; readonly ratio: number }
  | { readonly kind: 'leave-last-out'; readonly n: number }
  | { readonly kind: 'cold-start'; readonly ratio: number; readonly seed: number }
  | { readonly kind: 'files'; readonly train: string; readonly test: string };

export type SplitKind = SplitSpec['kind'];

/** The accepted forms, as quoted in every parse error. */
export const SPLIT_SPEC_FORMS =
  'random:RATIO[:SEED], temporal:YYYY-MM-DD[THH:MM[:SS][Z|+HH:MM]] or temporal:EPOCH_SECONDS, temporal-ratio:RATIO, ' +
  'leave-last-out[:N], cold-start:RATIO[:SEED], files:TRAIN.tsv,TEST.tsv (RATIO strictly between 0 and 1)';

const RATIO = /^(?:0|1)?\.\d+$|^[01]$/;
const UINT = /^\d+$/;
const EPOCH = /^-?\d+(?:\.\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * Parses a split spec; defaults: SEED 42, N 1. A date without a time is UTC midnight and a time
 * without a zone is UTC. Paths in files: may not contain commas. Anything else throws BAD_ARGUMENT
 * naming the accepted forms.
 */
export function parseSplitSpec(spec: string): SplitSpec {
  const text = typeof spec === 'string' ? spec.trim() : '';
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  const rest = colon < 0 ? null : text.slice(colon + 1);
  const bad = (why: string): NextbestError =>
    new NextbestError('BAD_OPTION', `bad split "${String(spec)}": ${why}; use ${SPLIT_SPEC_FORMS}`);
  const ratioOf = (s: string | undefined): number => {
    const x = s !== undefined && RATIO.test(s) ? Number(s) : NaN;
    if (!(x > 0 && x < 1)) throw bad(`ratio "${s ?? ''}" is not a number strictly between 0 and 1`);
    return x;
  };
  const seedOf = (s: string | undefined): number => {
    if (s === undefined) return DEFAULT_SEED;
    const x = UINT.test(s) ? Number(s) : NaN;
    if (!(x <= 0xffffffff)) throw bad(`seed "${s}" is not an integer from 0 to 4294967295`);
    return x;
  };
  const parts = (max: number): string[] => {
    if (rest === null) throw bad(`${kind} needs a ratio`);
    const p = rest.split(':');
    if (p.length > max) throw bad(`too many ":" parts`);
    return p;
  };

  switch (kind) {
    case 'random':
    case 'cold-start': {
      const [ratio, seed] = parts(2);
      return { kind, ratio: ratioOf(ratio), seed: seedOf(seed) };
    }
    case 'temporal-ratio':
      return { kind, ratio: ratioOf(parts(1)[0]) };
    case 'temporal': {
      if (rest === null || rest === '') throw bad('temporal needs a cutoff date or epoch seconds');
      const cutoff = parseCutoff(rest);
      if (cutoff === null) throw bad(`cutoff "${rest}" is neither a valid date nor epoch seconds`);
      return { kind, cutoff };
    }
    case 'leave-last-out': {
      if (rest === null) return { kind, n: 1 };
      const n = UINT.test(rest) ? Number(rest) : NaN;
      if (!(Number.isSafeInteger(n) && n >= 1)) throw bad(`N "${rest}" is not an integer of at least 1`);
      return { kind, n };
    }
    case 'files': {
      const paths = rest === null ? [] : rest.split(',').map((p) => p.trim());
      if (paths.length !== 2 || paths[0] === '' || paths[1] === '')
        throw bad('files needs exactly two paths separated by one comma');
      return { kind, train: paths[0], test: paths[1] };
    }
    default:
      throw bad(kind === '' ? 'it is empty' : `unknown kind "${kind}"`);
  }
}

/** Epoch seconds of a cutoff, or null when it is not a real date or a number. */
function parseCutoff(s: string): number | null {
  if (EPOCH.test(s)) return Number(s);
  const d = DATE.exec(s);
  if (d) {
    const ms = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]));
    return new Date(ms).toISOString().slice(0, 10) === s ? ms / 1000 : null;
  }
  const dt = DATE_TIME.exec(s);
  if (dt) {
    const day = s.slice(0, 10);
    const ms = Date.parse(dt[1] ? s : `${s}Z`);
    const dayMs = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
    if (!Number.isFinite(ms) || new Date(dayMs).toISOString().slice(0, 10) !== day) return null;
    return ms / 1000;
  }
  return null;
}

/** The canonical text of a spec (dates as epoch seconds); parseSplitSpec(formatSplitSpec(s)) equals s. */
export function formatSplitSpec(spec: SplitSpec): string {
  switch (spec.kind) {
    case 'random':
    case 'cold-start':
      return `${spec.kind}:${spec.ratio}:${spec.seed}`;
    case 'temporal':
      return `temporal:${spec.cutoff}`;
    case 'temporal-ratio':
      return `temporal-ratio:${spec.ratio}`;
    case 'leave-last-out':
      return `leave-last-out:${spec.n}`;
    case 'files':
      return `files:${spec.train},${spec.test}`;
  }
}
