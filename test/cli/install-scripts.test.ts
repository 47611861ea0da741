// `npm install` on a fresh clone warns about no dependency's install script: each is reviewed in
// package.json's allowScripts (npm 11), so a new user sees no warning they cannot judge.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('install scripts', () => {
  it('every dependency with an install script is reviewed in allowScripts', () => {
    const npm = spawnSync('npm', ['install-scripts', 'ls', '--json'], { encoding: 'utf8' });
    expect(npm.status).toBe(0);
    expect(JSON.parse(npm.stdout)).toEqual({ allowScripts: [] });
  });
});
