import { describe, expect, it } from 'vitest';
import { runCli, scratchDir } from './run-cli.js';

describe('nextbest segments', () => {
  it('clusters ALS customer factors of the synthetic bank against the planted segment', () => {
    const dir = scratchDir();
    expect(runCli(['generate', '--customers', '2000', '--no-santander', '--out', 'bank'], dir).code).toBe(0);
    expect(runCli(['ingest', 'bank'], dir).code).toBe(0);
    const r = JSON.parse(runCli(['segments', '--json'], dir).stdout);
    expect(r.k).toBe(5);
    expect(r.classes).toEqual(['AFFLUENT', 'MASS', 'PRIVATE', 'SME', 'YOUTH']);
    expect(r.ari).toBeGreaterThan(0.03); // weak but real: segment is one of three planted multipliers
    expect(r.voteAccuracy).toBeGreaterThan(r.majorityAccuracy + 0.05);
    const bad = runCli(['segments', '--attribute', 'nope'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('nextbest: no customer has the attribute "nope"');
  });
});
