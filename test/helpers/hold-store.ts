// A child process that holds a store open (read-only or for writing, recorded as `command`, announcing
// `api`) until its stdin closes: another process meeting a held store, as users and servers do.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { expect } from 'vitest';

const HOLD = resolve('test/store/fixtures/hold-store.mjs');

export async function holdStore(path: string, mode: 'read' | 'write', command?: string, api?: object): Promise<ChildProcess> {
  const args = [HOLD, path, mode, ...(command ? [command] : []), ...(api ? [JSON.stringify(api)] : [])];
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  expect(line).toBe('open');
  return child;
}

export async function release(child: ChildProcess): Promise<void> {
  child.stdin!.end();
  await once(child, 'exit');
}
