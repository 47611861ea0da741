// Filesystem failures a user causes (a path through a file, no permission, a full disk) as the one
// line the CLI prints, instead of an unexpected error.

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  EEXIST: 'a file of that name is in the way',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
};

const ACTIONS: Record<string, string> = { mkdir: 'create the folder', open: 'open', write: 'write', rename: 'write' };

/** Why a filesystem call failed, in words, or null when e is not such a failure. */
export function fsReason(e: unknown): string | null {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code !== undefined && code in REASONS ? REASONS[code] : null;
}

/** The message for a failed mkdir, open, write or rename of a path, or null for any other error. */
export function fsErrorMessage(e: unknown): string | null {
  const err = e as NodeJS.ErrnoException;
  const reason = fsReason(e);
  const action = err?.syscall !== undefined ? ACTIONS[err.syscall] : undefined;
  if (!reason || !action || !err.path) return null;
  return `cannot ${action} ${err.path}: ${reason}; choose another path or fix this one`;
}
