// Whether a process id names a running process (to tell files a dead process left from a live one's).
export function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // it exists but belongs to another user
  }
}
