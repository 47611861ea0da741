// The rules file's checks: a bad file fails with one line naming the field and what it must be.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRules } from '../../src/rules/load.js';

const fails = (json: string): string => {
  try {
    parseRules(json, 'rules.json');
  } catch (e) {
    expect(e).toMatchObject({ code: 'BAD_RULES' });
    return (e as Error).message;
  }
  throw new Error('the rules were accepted');
};

describe('parseRules', () => {
  it('fills the defaults of an empty file', () => {
    const r = parseRules('{}', 'rules.json');
    expect(r.customerAttributes).toEqual({ age: 'age', income: 'income', segment: 'segment' });
    expect(r.productMinIncome).toBe('min_income');
    expect(r.holds).toEqual({ events: ['acquire', 'checkout'], endedBy: ['drop'], allowSeveral: {} });
  });

  it.each([
    ['{"caps": [{"displays": 3, "days": -1}]}', 'rules.json: caps[0].days must be a positive number; fix the rules file'],
    ['{"caps": [{"displays": 3, "days": "7"}]}', 'rules.json: caps[0].days must be a positive number; fix the rules file'],
    ['{"caps": [{"displays": 2.5, "days": 7}]}', 'rules.json: caps[0].displays must be a whole number of 1 or more; fix the rules file'],
    ['{"caps": [{"displays": 3, "dayz": 7}]}', 'rules.json: caps[0] has an unknown field "dayz"; fix the rules file'],
    ['{"cap": []}', 'rules.json: has an unknown field "cap"; fix the rules file'],
    ['[]', 'rules.json: must be a JSON object; fix the rules file'],
    ['{"pins": [{"product": "P1", "position": 0}]}', 'rules.json: pins[0].position must be a whole number of 1 or more; fix the rules file'],
    ['{"pins": [{"product": "P1", "position": 1}, {"product": "P1", "position": 2}]}', 'rules.json: pins[1].product pins P1 a second time; fix the rules file'],
    ['{"boosts": [{"types": ["card"]}]}', 'rules.json: boosts[0] needs multiply or add; fix the rules file'],
    ['{"boosts": [{"multiply": 2}]}', 'rules.json: boosts[0] needs products or types; fix the rules file'],
    ['{"eligibility": [{"types": "loan", "minAge": 18}]}', 'rules.json: eligibility[0].types must be a list of strings; fix the rules file'],
    ['{"holds": {"events": ["buy"]}}', 'rules.json: holds.events[0] must list event types (display, click, checkout, acquire, drop, rating, accept, decline); fix the rules file'],
    ['{"maxPerType": {"byType": {"card": 0}}}', 'rules.json: maxPerType.byType.card must be a whole number of 1 or more; fix the rules file'],
  ])('%s -> one line naming the field', (json, message) => {
    expect(fails(json)).toBe(message);
  });

  it('names JSON that does not parse', () => {
    expect(fails('{"caps": [')).toMatch(/^rules\.json: is not valid JSON \(.+\); fix the rules file$/);
  });

  it('accepts the example rules file of the README', () => {
    const readme = readFileSync('README.md', 'utf8');
    const example = /## Business rules[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const r = parseRules(example as string, 'README.md');
    expect(r.eligibility?.[0]).toMatchObject({ name: 'no credit for minors', minAge: 18 });
    expect(r.maxPerType).toEqual({ default: 2, byType: { card: 1 } });
  });
});
