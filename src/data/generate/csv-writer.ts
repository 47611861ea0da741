// Streams large CSV files with bounded memory: rows are assembled into a byte chunk (or a string
// of a few thousand lines) that is written while the next one is built, a few chunks in flight at most.
import { open, type FileHandle } from 'node:fs/promises';
import { csvField } from '../csv-field.js';

/** Flush a chunk once it holds about this many bytes (every generated character is ASCII, one byte). */
export const CHUNK_BYTES = 1 << 20;
/** String chunks are flushed at this length. */
export const CHUNK_CHARS = 512 * 1024;
/** Writes queued before the generator waits: bounds memory to a few chunks whatever the disk speed. */
const MAX_IN_FLIGHT = 4;
/** Room past CHUNK_BYTES for the row that crosses it. */
const CHUNK_SLACK = 64 * 1024;


export const csvLine = (fields: readonly (string | number)[]): string => fields.map((f) => csvField(String(f))).join(',') + '\n';

/** ASCII bytes of a string. */
export const ascii = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));

/**
 * Many short ASCII strings packed back to back in one byte array: piece i is bytes[start[i] .. start[i + 1]).
 * Rows are assembled from pieces by offset, so no string or object is created per row.
 */
export class Pieces {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly start: Int32Array;

  constructor(bytes: Uint8Array, start: Int32Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.start = start;
  }

  static of(strings: readonly string[]): Pieces {
    const start = new Int32Array(strings.length + 1);
    strings.forEach((s, i) => (start[i + 1] = start[i] + s.length));
    const bytes = new Uint8Array(start[strings.length]);
    strings.forEach((s, i) => bytes.set(ascii(s), start[i]));
    return new Pieces(bytes, start);
  }

  get count(): number {
    return this.start.length - 1;
  }
}

/** A byte buffer that rows are written into; copies move four bytes at a time, which byte loops cannot match. */
export class ByteChunk {
  buf: Uint8Array;
  private view: DataView;
  pos = 0;

  constructor(buf: Uint8Array = new Uint8Array(CHUNK_BYTES + CHUNK_SLACK)) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get full(): boolean {
    return this.pos >= CHUNK_BYTES;
  }

  /** Starts over on another buffer (the old one is still being written). */
  swap(buf: Uint8Array): void {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = 0;
  }

  piece(p: Pieces, i: number): void {
    const src = p.view;
    const dst = this.view;
    let k = p.start[i];
    const end = p.start[i + 1];
    let o = this.pos;
    for (; k + 4 <= end; k += 4, o += 4) dst.setUint32(o, src.getUint32(k));
    for (; k < end; k++, o++) dst.setUint8(o, src.getUint8(k));
    this.pos = o;
  }

  /** Decimal digits of a non-negative integer below 2^31. */
  int(n: number): void {
    const b = this.buf;
    let digits = 1;
    for (let t = n; t >= 10; t = (t / 10) | 0) digits++;
    let o = this.pos + digits;
    this.pos = o;
    do {
      const q = (n / 10) | 0;
      b[--o] = 48 + n - q * 10;
      n = q;
    } while (n > 0);
  }
}

export class ChunkedFileWriter {
  private readonly file: FileHandle;
  private readonly inFlight: Promise<void>[] = [];
  private readonly spare: Uint8Array[] = [];
  private failure: unknown = null;
  private chunks = 0;
  /** Bytes handed over so far (all written once close() resolves). */
  bytes = 0;

  private constructor(file: FileHandle) {
    this.file = file;
  }

  static async open(path: string): Promise<ChunkedFileWriter> {
    return new ChunkedFileWriter(await open(path, 'w'));
  }

  /** Queues a string chunk (ASCII expected). */
  async write(chunk: string): Promise<void> {
    if (chunk.length > 0) await this.submit(Buffer.from(chunk, 'latin1'), null);
  }

  /** Queues the chunk's bytes and gives it a fresh buffer to go on with. */
  async flush(chunk: ByteChunk): Promise<void> {
    if (chunk.pos === 0) return;
    const buf = chunk.buf;
    await this.submit(buf.subarray(0, chunk.pos), buf);
    chunk.swap(this.spare.pop() ?? new Uint8Array(buf.length));
  }

  private async submit(data: Uint8Array, recycle: Uint8Array | null): Promise<void> {
    if (this.failure) throw this.failure;
    const position = this.bytes;
    this.bytes += data.length;
    // Positional writes may run concurrently in the thread pool and still land in order.
    const done = this.writeAt(data, position).then(
      () => void (recycle && this.spare.push(recycle)),
      (e: unknown) => void (this.failure ??= e),
    );
    this.inFlight.push(done);
    while (this.inFlight.length >= MAX_IN_FLIGHT) await this.inFlight.shift();
    // On a fast disk the loop above never waits; let timers (progress bars) run now and then.
    if (++this.chunks % 16 === 0) await new Promise((resolve) => setImmediate(resolve));
    if (this.failure) throw this.failure;
  }

  private async writeAt(data: Uint8Array, position: number): Promise<void> {
    let off = 0;
    while (off < data.length) {
      const { bytesWritten } = await this.file.write(data, off, data.length - off, position + off);
      off += bytesWritten;
    }
  }

  /** Waits for every queued write, then closes; throws the first write error if there was one. */
  async close(): Promise<void> {
    await Promise.all(this.inFlight);
    this.inFlight.length = 0;
    await this.file.close();
    if (this.failure) throw this.failure;
  }
}

/** Runs `body` with a writer on `path`, closing the file whether or not it succeeds. */
export const withFileWriter = async <T>(path: string, body: (w: ChunkedFileWriter) => Promise<T>): Promise<{ result: T; bytes: number }> => {
  const w = await ChunkedFileWriter.open(path);
  let result: T;
  try {
    result = await body(w);
  } catch (e) {
    await w.close().catch(() => undefined);
    throw e;
  }
  await w.close();
  return { result, bytes: w.bytes };
};
