// A file a command writes (--out): its folder is created, as --rejects does, and a path that cannot
// be written is a one-line user error before any long work starts.
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { errorMessage, NextbestError } from '../core/errors.js';
import { fsReason } from './fs-error.js';

export function prepareOutputFile(path: string, option = '--out'): void {
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new NextbestError('BAD_OPTION', `${option} ${path} is a folder; pass the path of a file`);
  }
  try {
    mkdirSync(dirname(path), { recursive: true });
    accessSync(existsSync(path) ? path : dirname(path), constants.W_OK);
  } catch (e) {
    throw new NextbestError('BAD_OPTION', `cannot write ${path}: ${fsReason(e) ?? errorMessage(e)}; pass ${option} with a path you can write to`);
  }
}
