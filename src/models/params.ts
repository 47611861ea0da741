// Hyper-parameter schemas shared by the models: zod types that also accept the strings a command line
// passes ("lambda=300", "binary=true"), and one-line errors naming the model and the parameter.
import { z } from 'zod';
import { NextbestError } from '../core/errors.js';

const toNumber = (v: unknown): unknown => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v);
const toBoolean = (v: unknown): unknown => {
  if (typeof v !== 'string') return v;
  const s = v.trim().toLowerCase();
  if (s === 'true' || s === '1' || s === 'yes') return true;
  if (s === 'false' || s === '0' || s === 'no') return false;
  return v;
};

/** A number parameter that also accepts its decimal string. */
export const numberParam = <T extends z.ZodNumber>(schema: T) => z.preprocess(toNumber, schema);
/** A boolean parameter that also accepts true/false, 1/0, yes/no as strings. */
export const booleanParam = () => z.preprocess(toBoolean, z.boolean());

/** Upper limits shared by the models (README, "Parameters"): beyond them a fit runs for hours or exhausts memory. */
export const MAX_ITERATIONS = 10_000;
export const MAX_FACTORS = 1024;
export const MAX_NEIGHBOURS = 10_000;

/** Raw values as a command line or a saved artifact passes them. */
export type RawParams = Readonly<Record<string, unknown>>;

/** Validates raw params against a model's schema; the error names the model and the parameter. */
export function parseParams<S extends z.ZodObject>(model: string, schema: S, raw: RawParams | undefined): z.output<S> {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const known = Object.keys(schema.shape).join(', ');
  if (issue.code === 'unrecognized_keys')
    throw new NextbestError('BAD_PARAMETER', `model "${model}" has no parameter "${issue.keys[0]}" (${known ? `its parameters: ${known}` : 'it has no parameters'})`);
  const name = issue.path.map(String).join('.');
  const given = raw && name in raw ? `=${String(raw[name])}` : '';
  throw new NextbestError('BAD_PARAMETER', `model "${model}" parameter ${name}${given}: ${describeIssue(issue)}`);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected === 'int' ? 'a whole number' : `a ${issue.expected}`}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return `must be ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}`;
    case 'too_big':
      return `must be ${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}`;
    default:
      return issue.message;
  }
}
