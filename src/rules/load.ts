// Reads and checks a rules file once, at start: a file that is missing, not JSON or off the schema
// fails with one line naming the field, before any request is served.
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { NextbestError } from '../core/errors.js';
import { RulesFile, withDefaults, type Rules } from './schema.js';

/** `caps[0].days`, from a zod path. */
export const fieldPath = (path: readonly PropertyKey[]): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');

/** The first problem of a failed parse, as "<field> <what it must be>". */
export function firstProblem(error: z.ZodError): string {
  // An unknown field is usually a misspelt one: name it before the field it was meant to be.
  const issue = error.issues.find((i) => i.code === 'unrecognized_keys') ?? error.issues[0];
  const at = fieldPath(issue.path);
  if (issue.code === 'unrecognized_keys') return `${at ? `${at} has` : 'has'} an unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return at ? `${at} ${issue.message}` : issue.message;
}

/** Rules from JSON text; `name` is how the error names the file. */
export function parseRules(json: string, name: string): Rules {
  const bad = (why: string): NextbestError => new NextbestError('BAD_RULES', `${name}: ${why}; fix the rules file`);
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw bad(`is not valid JSON (${(e as Error).message})`);
  }
  const parsed = RulesFile.safeParse(raw);
  if (!parsed.success) throw bad(firstProblem(parsed.error));
  return withDefaults(parsed.data);
}

export async function loadRules(path: string): Promise<Rules> {
  let json: string;
  try {
    json = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new NextbestError('FILE_NOT_FOUND', `the rules file ${path} does not exist; check --rules`);
    throw new NextbestError('BAD_RULES', `cannot read the rules file ${path} (${code ?? (e as Error).message}); check --rules`);
  }
  return parseRules(json, path);
}
