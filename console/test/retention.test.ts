import { describe, expect, it } from 'vitest';
import { describeRule, formOf, newRuleForm, ruleOf, withRule, type RetentionRule } from '../src/lib/retention';

const rule: RetentionRule = {
  template: 'latestPushedK', params: { count: 3 },
  repositories: { decoration: 'repoMatches', pattern: 'frontend' },
  tags: { decoration: 'matches', pattern: '**', untagged: false },
  disabled: false,
};

describe('retention rules', () => {
  it('round-trips a rule through the form', () => {
    expect(ruleOf(formOf(rule)).rule).toEqual(rule);
  });
  it('sends the parameter the template takes, and none for always', () => {
    const days = ruleOf({ ...newRuleForm(), template: 'nDaysSinceLastPull', number: '30' }).rule!;
    expect(days.params).toEqual({ days: 30 });
    const always = ruleOf({ ...newRuleForm(), template: 'always', number: '30' }).rule!;
    expect(always.params).toEqual({});
  });
  it('refuses what gc would refuse', () => {
    expect(ruleOf({ ...newRuleForm(), number: '' }).error).toMatch(/0 to 10000/);
    expect(ruleOf({ ...newRuleForm(), number: '10001' }).error).toMatch(/0 to 10000/);
    expect(ruleOf({ ...newRuleForm(), template: 'nDaysSinceLastPush', number: '-2' }).error).toMatch(/0 to 36500/);
    expect(ruleOf({ ...newRuleForm(), repoPattern: ' ' }).error).toMatch(/repository pattern/);
    expect(ruleOf({ ...newRuleForm(), tagPattern: '' }).error).toMatch(/tag pattern/);
  });
  it('says a rule in words', () => {
    expect(describeRule(rule)).toBe('In repositories matching frontend, of the artifacts with a tag matching **, keep the 3 most recently pushed.');
    expect(describeRule({ ...rule, template: 'always', params: {}, tags: { decoration: 'excludes', pattern: 'dev', untagged: true } }))
      .toBe('In repositories matching frontend, of the artifacts with a tag not matching dev (and untagged ones), keep all of them.');
  });
  it('adds, replaces and removes rules without touching the list it is given', () => {
    const rules = [rule];
    const other = { ...rule, template: 'always' as const, params: {} };
    expect(withRule(rules, 1, other)).toEqual([rule, other]);
    expect(withRule(rules, 0, other)).toEqual([other]);
    expect(withRule(rules, 0, null)).toEqual([]);
    expect(rules).toEqual([rule]);
  });
});
