// `nextbest serve` as a real process: started with --port 0 --json, resolved with its URL once it listens.
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI } from '../cli/run-cli.js';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  stderr: () => string;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
}

export function startServe(cwd: string, args: string[] = []): Promise<ServerProcess> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--json', ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  let err = '';
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ url: JSON.parse(line).url as string, child, stderr: () => err, exited });
    });
    void exited.then((code) => reject(new Error(`nextbest serve ended (${code}) before listening: ${err}`)));
  });
}
