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
    // Clicks and checkouts only (displays are the bank's choice): measured ARI 0.212, vote 0.713 vs 0.411.
    expect(r.ari).toBeGreaterThan(0.15);
    expect(r.voteAccuracy).toBeGreaterThan(r.majorityAccuracy + 0.2);
    // With displays every displayed customer is clustered, on a weaker signal (measured ARI 0.151).
    const shown = JSON.parse(runCli(['segments', '--json', '--weights', 'display=0.1'], dir).stdout);
    expect(shown.customers).toBeGreaterThan(r.customers);
    expect(shown.ari).toBeLessThan(r.ari);
    const weights = runCli(['segments', '--weights', 'shown=1'], dir);
    expect(weights.code).toBe(2);
    expect(weights.stderr).toMatch(/--weights takes type=weight pairs such as display=0,click=1/);
    const bad = runCli(['segments', '--attribute', 'nope'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('nextbest: no customer has the attribute "nope"');
  });
});
