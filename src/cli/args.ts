// Parsers for numeric options that fail with one clear line.
import { InvalidArgumentError } from 'commander';

export const positiveInt =
  (name: string, min = 1) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be a whole number >= ${min}`);
    return n;
  };
