// A project's retention policy as gc stores it (docs/retention.md, RetentionRule and
// RetentionPolicy in services/gc): the rule shape, the form the console edits a rule in, the
// checks gc makes that the console can make first, and a rule in words.
import { wholeNumber } from './cron';

export type Template = 'latestPushedK' | 'latestPulledN' | 'nDaysSinceLastPush' | 'nDaysSinceLastPull' | 'always';

export interface TemplateInfo {
  id: Template;
  /** "keep the most recently pushed" … as a form's choice. */
  label: string;
  param: 'count' | 'days' | null;
}

export const TEMPLATES: TemplateInfo[] = [
  { id: 'latestPushedK', label: 'the N most recently pushed', param: 'count' },
  { id: 'latestPulledN', label: 'the N most recently pulled', param: 'count' },
  { id: 'nDaysSinceLastPush', label: 'those pushed within the last N days', param: 'days' },
  { id: 'nDaysSinceLastPull', label: 'those pulled within the last N days', param: 'days' },
  { id: 'always', label: 'all of them', param: null },
];

export interface RetentionRule {
  template: Template;
  params?: { count?: number; days?: number };
  repositories: { decoration: 'repoMatches' | 'repoExcludes'; pattern: string };
  tags: { decoration: 'matches' | 'excludes'; pattern: string; untagged?: boolean };
  disabled?: boolean;
}

export interface RetentionPolicy {
  rules: RetentionRule[];
  cron: string | null;
  nextRunAt: string | null;
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface Decision {
  digest: string;
  tags: string[];
  reason: string;
}

export interface RetentionExecution {
  id: number;
  trigger: 'manual' | 'schedule';
  status: 'running' | 'succeeded' | 'failed';
  dryRun: boolean;
  requestedBy: string | null;
  startedAt: string | null;
  endedAt: string | null;
  retained: number;
  deleted: number;
  untouched: string[];
  error: string | null;
  /** Only on GET .../executions/{id}. */
  repositories?: { repository: string; retained: Decision[]; deleted: Decision[] }[];
}

/** gc's limits (RetentionPolicy). */
export const MAX_RULES = 15;
export const MAX_COUNT = 10_000;
export const MAX_DAYS = 36_500;

/** A rule as the form edits it: the number as typed. */
export interface RuleForm {
  template: Template;
  number: string;
  repoDecoration: 'repoMatches' | 'repoExcludes';
  repoPattern: string;
  tagDecoration: 'matches' | 'excludes';
  tagPattern: string;
  untagged: boolean;
  disabled: boolean;
}

export function newRuleForm(): RuleForm {
  return {
    template: 'latestPushedK', number: '10', repoDecoration: 'repoMatches', repoPattern: '**',
    tagDecoration: 'matches', tagPattern: '**', untagged: false, disabled: false,
  };
}

export function templateInfo(id: string): TemplateInfo | undefined {
  return TEMPLATES.find((t) => t.id === id);
}

export function formOf(rule: RetentionRule): RuleForm {
  const info = templateInfo(rule.template);
  const n = info?.param === 'count' ? rule.params?.count : info?.param === 'days' ? rule.params?.days : undefined;
  return {
    template: rule.template, number: n === undefined || n === null ? '' : String(n),
    repoDecoration: rule.repositories.decoration, repoPattern: rule.repositories.pattern,
    tagDecoration: rule.tags.decoration, tagPattern: rule.tags.pattern, untagged: !!rule.tags.untagged,
    disabled: !!rule.disabled,
  };
}

/** The rule to send, or what is wrong with the form (gc would refuse it with a 400 anyway). */
export function ruleOf(form: RuleForm): { rule?: RetentionRule; error?: string } {
  const info = templateInfo(form.template);
  if (!info) return { error: 'Choose what the rule keeps' };
  const params: RetentionRule['params'] = {};
  if (info.param) {
    const n = wholeNumber(form.number);
    const max = info.param === 'count' ? MAX_COUNT : MAX_DAYS;
    if (n === null || Number.isNaN(n) || n > max) {
      return { error: `N is a whole number from 0 to ${max}` };
    }
    params[info.param] = n;
  }
  const repoPattern = form.repoPattern.trim();
  const tagPattern = form.tagPattern.trim();
  if (!repoPattern) return { error: 'The repository pattern is empty: ** means every repository' };
  if (!tagPattern) return { error: 'The tag pattern is empty: ** means every tag' };
  return {
    rule: {
      template: info.id, params,
      repositories: { decoration: form.repoDecoration, pattern: repoPattern },
      tags: { decoration: form.tagDecoration, pattern: tagPattern, untagged: form.untagged },
      disabled: form.disabled,
    },
  };
}

/** "In repositories matching **, of the artifacts with a tag matching **, keep the 3 most recently pushed." */
export function describeRule(rule: RetentionRule): string {
  const info = templateInfo(rule.template);
  const n = info?.param === 'count' ? rule.params?.count : info?.param === 'days' ? rule.params?.days : undefined;
  const keeps = info ? info.label.replace('N', String(n ?? '?')) : rule.template;
  const repos = `${rule.repositories.decoration === 'repoExcludes' ? 'not matching' : 'matching'} ${rule.repositories.pattern}`;
  const tags = `${rule.tags.decoration === 'excludes' ? 'not matching' : 'matching'} ${rule.tags.pattern}`;
  const untagged = rule.tags.untagged ? ' (and untagged ones)' : '';
  return `In repositories ${repos}, of the artifacts with a tag ${tags}${untagged}, keep ${keeps}.`;
}

/** The rules with one replaced (index < length), added (index = length) or removed (form null). */
export function withRule(rules: RetentionRule[], index: number, rule: RetentionRule | null): RetentionRule[] {
  const next = rules.slice();
  if (rule === null) {
    next.splice(index, 1);
  } else {
    next[index] = rule;
  }
  return next;
}
