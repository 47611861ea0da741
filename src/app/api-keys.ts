// API keys of the HTTP server: a key is a random secret shown once when it is made; the server keeps
// only its SHA-256 (a key has 256 random bits, so a fast hash is enough), with a name and a scope, read
// from a JSON file and/or the NEXTBEST_API_KEYS environment variable. A request's key is found by
// comparing its hash with every stored hash in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { NextbestError } from '../core/errors.js';
import { parseRate, type Rate } from './rate.js';

/** read: recommendations, profiles, metrics; admin: also what changes state (events, offers, models, training). */
export const SCOPES = ['read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export const ENV_KEYS = 'NEXTBEST_API_KEYS';

const KeyEntry = z
  .object({
    name: z.string().min(1).max(100),
    hash: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be "sha256:" and 64 hex digits (nextbest keys create prints it)'),
    scope: z.enum(SCOPES),
    /** This key's own rate limit, e.g. "50/s" or "1000/min" (default: the server's). */
    rateLimit: z.string().optional(),
  })
  .strict();
const KeyFile = z.array(KeyEntry);
export type KeyEntry = z.output<typeof KeyEntry>;

export interface ApiKey {
  name: string;
  scope: Scope;
  rateLimit?: Rate;
  /** The SHA-256 of the key. */
  digest: Buffer;
}

const sha256 = (key: string): Buffer => createHash('sha256').update(key, 'utf8').digest();

/** A new key and the entry that stores it (the key itself is never stored). */
export function createApiKey(name: string, scope: Scope): { key: string; entry: KeyEntry } {
  const parsed = KeyEntry.pick({ name: true, scope: true }).safeParse({ name, scope });
  if (!parsed.success) throw new NextbestError('BAD_OPTION', `a key needs a --name of 1-100 characters and a --scope of ${SCOPES.join(' or ')}`);
  const key = `nb_${randomBytes(32).toString('base64url')}`;
  return { key, entry: { name, hash: `sha256:${sha256(key).toString('hex')}`, scope } };
}

/** The keys in a JSON text `[{name, hash, scope, rateLimit?}]`; `where` names its source in errors. */
export function parseKeys(text: string, where: string): ApiKey[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new NextbestError('BAD_OPTION', `${where} is not JSON; it must be a list [{"name", "hash", "scope"}] (nextbest keys create prints an entry)`);
  }
  const parsed = KeyFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.length ? issue.path.join('.') : 'the list';
    throw new NextbestError('BAD_OPTION', `${where}: ${field}: ${issue.message}; each entry is {"name", "hash", "scope": "read"|"admin"}`);
  }
  return parsed.data.map((e, i) => ({
    name: e.name,
    scope: e.scope,
    digest: Buffer.from(e.hash.slice('sha256:'.length), 'hex'),
    ...(e.rateLimit === undefined ? {} : { rateLimit: parseRate(e.rateLimit, `${where}: ${i}.rateLimit`) }),
  }));
}

/** The keys of a key file and of NEXTBEST_API_KEYS together (none when neither is given); names must be distinct. */
export function loadKeys(file: string | undefined, env: string | undefined = process.env[ENV_KEYS]): ApiKey[] {
  const keys: ApiKey[] = [];
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new NextbestError('FILE_NOT_FOUND', `key file ${file} cannot be read; make one with nextbest keys create or fix the path`);
    }
    keys.push(...parseKeys(text, `key file ${file}`));
  }
  if (env !== undefined && env.trim() !== '') keys.push(...parseKeys(env, ENV_KEYS));
  const names = new Set<string>();
  for (const k of keys) {
    if (names.has(k.name)) throw new NextbestError('BAD_OPTION', `two API keys are named ${k.name}; give each key its own name`);
    names.add(k.name);
  }
  return keys;
}

/** The stored key a presented one matches, or null; every stored hash is compared, in constant time. */
export function findKey(keys: readonly ApiKey[], presented: string): ApiKey | null {
  const digest = sha256(presented);
  let found: ApiKey | null = null;
  for (const k of keys) if (timingSafeEqual(k.digest, digest) && !found) found = k;
  return found;
}
