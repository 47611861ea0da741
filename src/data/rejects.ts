// Writes rejected rows to a CSV file (line, reason, record), created only when the first reject comes.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { csvField } from './csv-field.js';


export class RejectsFile {
  readonly path: string;
  private buffered: string[] = [];
  private started = false;
  count = 0;

  constructor(path: string) {
    this.path = path;
  }

  add(line: number, reason: string, record: string): void {
    this.count++;
    this.buffered.push(`${line},${csvField(reason)},${csvField(record)}\n`);
    if (this.buffered.length >= 1000) this.flush();
  }

  flush(): void {
    if (!this.buffered.length) return;
    if (!this.started) {
      mkdirSync(dirname(this.path), { recursive: true });
      writeFileSync(this.path, 'line,reason,record\n');
      this.started = true;
    }
    appendFileSync(this.path, this.buffered.join(''));
    this.buffered = [];
  }

  /** The file's path if anything was rejected, else null. */
  close(): string | null {
    this.flush();
    return this.count > 0 ? this.path : null;
  }
}
