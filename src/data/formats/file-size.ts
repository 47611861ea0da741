// Size of an input in bytes (a folder's files summed), for progress fractions.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function fileSize(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return Math.max(1, s.size);
  return Math.max(1, readdirSync(path).reduce((n, f) => n + statSync(join(path, f)).size, 0));
}
