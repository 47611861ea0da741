// Files that carry their own checksum: the bytes followed by the SHA-256 of them, written to a temporary
// file that is fsynced and renamed, so a crash never leaves half a file and a truncated or altered one is
// told apart from a good one on reading. Saved models (.nbm) and pipelines (.nbp) are sealed this way.
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

const DIGEST_BYTES = 32;

const sha256 = (bytes: Uint8Array): Buffer => createHash('sha256').update(bytes).digest();

/** The bytes with their SHA-256 appended. */
export const seal = (body: Buffer): Buffer => Buffer.concat([body, sha256(body)]);

/** The bytes before the checksum, or null when the file is too short or its checksum does not match. */
export function unseal(bytes: Buffer): Buffer | null {
  if (bytes.length < DIGEST_BYTES) return null;
  const body = bytes.subarray(0, bytes.length - DIGEST_BYTES);
  return sha256(body).equals(bytes.subarray(bytes.length - DIGEST_BYTES)) ? body : null;
}

/** Writes the bytes to a temporary file beside `path`, fsyncs it and renames it over `path`. */
export function writeDurably(path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
