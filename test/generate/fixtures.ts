// Test helper: generates a data set once per test file into a fresh temporary directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateBankData, type GenerateOptions, type GenerateResult } from '../../src/data/generate/index.js';

export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'nextbest-generate-'));

export const removeDir = (dir: string): void => rmSync(dir, { recursive: true, force: true });

export const generateInto = async (dir: string, opts: Omit<GenerateOptions, 'outDir'>): Promise<GenerateResult> =>
  generateBankData({ ...opts, outDir: dir });
