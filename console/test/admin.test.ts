import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Api } from '../src/lib/api';
import { cronProblem, cronValue, cronWords, wholeNumber } from '../src/lib/cron';
import { gcOptions, graceText, runKind } from '../src/lib/gc';
import { poll } from '../src/lib/poll';
import { duration, inProgress, tone } from '../src/lib/status';
import { nameProblem } from '../src/lib/names';

describe('cron expressions', () => {
  it('takes five or six fields, or nothing for no schedule', () => {
    expect(cronProblem('0 3 * * *')).toBeNull();
    expect(cronProblem('0 0 3 * * *')).toBeNull();
    expect(cronProblem('   ')).toBeNull();
    expect(cronProblem('0 3 * *')).toMatch(/not 4/);
    expect(cronProblem('@daily')).toMatch(/not 1/);
  });
  it('sends blanks as null and squeezes spaces', () => {
    expect(cronValue('  0  3 * * * ')).toBe('0 3 * * *');
    expect(cronValue('')).toBeNull();
  });
  it('says known schedules in words', () => {
    expect(cronWords('0 3 * * *')).toBe('every day at 03:00 UTC (0 3 * * *)');
    expect(cronWords('5 4 * * 2')).toBe('cron 5 4 * * 2 (UTC)');
    expect(cronWords(null)).toBe('no schedule');
  });
  it('reads whole numbers only', () => {
    expect(wholeNumber(' 12 ')).toBe(12);
    expect(wholeNumber('')).toBeNull();
    expect(wholeNumber('1.5')).toBeNaN();
    expect(wholeNumber('-1')).toBeNaN();
  });
});

describe('gc options', () => {
  it('turns the grace period in hours into seconds, and leaves it out for the default', () => {
    expect(gcOptions({ dryRun: true, deleteUntagged: false, orphans: false, graceHours: '2' }).options)
      .toEqual({ dryRun: true, deleteUntagged: false, orphans: false, graceSeconds: 7200 });
    expect(gcOptions({ dryRun: false, deleteUntagged: true, orphans: false, graceHours: '' }).options)
      .toEqual({ dryRun: false, deleteUntagged: true, orphans: false });
  });
  it('refuses a grace period that is not a whole number of hours within ten years', () => {
    expect(gcOptions({ dryRun: true, deleteUntagged: false, orphans: false, graceHours: 'soon' }).error).toMatch(/whole number/);
    expect(gcOptions({ dryRun: true, deleteUntagged: false, orphans: false, graceHours: '999999' }).error).toMatch(/87840/);
  });
  it('writes grace windows and kinds of runs', () => {
    expect(graceText(7200)).toBe('2 h');
    expect(graceText(90)).toBe('90 s');
    expect(graceText(120)).toBe('2 min');
    expect(runKind({ dryRun: true, deleteUntagged: true, orphans: false })).toBe('dry run, untagged manifests');
  });
});

describe('statuses', () => {
  it('groups the services\' words', () => {
    expect(tone('succeeded')).toBe('ok');
    expect(tone('failed')).toBe('bad');
    expect(tone('pending')).toBe('busy');
    expect(tone('stopped')).toBe('neutral');
    expect(tone(undefined)).toBe('neutral');
    expect(inProgress('running')).toBe(true);
    expect(inProgress('succeeded')).toBe(false);
  });
  it('says how long a run took, or has been running', () => {
    expect(duration('2026-12-05T10:00:00Z', '2026-12-05T10:01:05Z')).toBe('1 min 5 s');
    expect(duration('2026-12-05T10:00:00Z', null, Date.parse('2026-12-05T12:30:00Z'))).toBe('2 h 30 min');
    expect(duration('2026-12-05T10:00:00Z', '2026-12-05T10:00:03Z')).toBe('3 s');
    expect(duration(null, null)).toBe('—');
  });
});

describe('names', () => {
  it('takes the services\' name rule', () => {
    expect(nameProblem('dc2-sync.v1')).toBeNull();
    expect(nameProblem('DC2')).not.toBeNull();
    expect(nameProblem('a--b')).not.toBeNull();
    expect(nameProblem('')).not.toBeNull();
    expect(nameProblem('a'.repeat(65))).not.toBeNull();
  });
});

describe('polling', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('ticks until stopped, never two ticks at once', async () => {
    let calls = 0;
    let release: () => void = () => {};
    const stop = poll(() => {
      calls++;
      return new Promise<void>((resolve) => (release = resolve));
    }, 1000);
    await vi.advanceTimersByTimeAsync(3500);
    expect(calls).toBe(1); // the first tick has not answered yet
    release();
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(2);
    release();
    stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toBe(2);
  });

  it('goes on after a failed tick', async () => {
    let calls = 0;
    const stop = poll(() => {
      calls++;
      throw new Error('down');
    }, 1000);
    await vi.advanceTimersByTimeAsync(3000);
    expect(calls).toBe(3);
    stop();
  });
});

describe('logs as text', () => {
  it('asks for text/plain (the log resources answer 406 to JSON alone) and reads errors as JSON', async () => {
    const seen: RequestInit[] = [];
    const answers = [
      new Response('line 1\nline 2\n', { headers: { 'Content-Type': 'text/plain' } }),
      Response.json({ errors: [{ code: 'NOT_FOUND', message: 'no gc run 9' }] }, { status: 404 }),
    ];
    const http = (async (_url: RequestInfo | URL, init?: RequestInit) => {
      seen.push(init ?? {});
      return answers.shift()!;
    }) as typeof fetch;
    const api = new Api({ accessToken: async () => 't', refresh: async () => null }, () => {}, http);
    expect(await api.text('/api/v1/system/gc/1/log')).toBe('line 1\nline 2\n');
    expect((seen[0].headers as Record<string, string>).Accept).toMatch(/^text\/plain/);
    await expect(api.text('/api/v1/system/gc/9/log')).rejects.toMatchObject({ status: 404, message: 'no gc run 9' });
  });
});
