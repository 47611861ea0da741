// Locates the research data in ../shared/data. Tests that need it skip with a visible message when
// it is absent (a user's fresh clone) and fail when NEXTBEST_REQUIRE_DATA=1 (CI).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const SHARED_DATA = resolve(process.cwd(), '..', 'shared', 'data');

export function sharedData(relative: string): { path: string; present: boolean } {
  const path = resolve(SHARED_DATA, relative);
  const present = existsSync(path);
  if (!present) {
    if (process.env.NEXTBEST_REQUIRE_DATA === '1') {
      throw new Error(`NEXTBEST_REQUIRE_DATA=1 but ${path} is missing`);
    }
    console.warn(`SKIPPED: ${path} is absent, so the tests that need it are skipped`);
  }
  return { path, present };
}
