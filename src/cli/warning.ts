// A warning: one line on stderr beside a result that still prints (exit code 0), with or without --json.

export function printWarning(warning: string | undefined): void {
  if (warning) process.stderr.write(`nextbest: warning: ${warning}\n`);
}
