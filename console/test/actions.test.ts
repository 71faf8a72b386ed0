import { describe, expect, it } from 'vitest';
import { Loader } from '../src/lib/loader.svelte';
import { Action, Question } from '../src/lib/actions.svelte';
import { ApiError, messageOf } from '../src/lib/api';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => { resolve = yes; reject = no; });
  return { promise, resolve, reject };
}

describe('Loader', () => {
  it('is loading until its first answer, and keeps the error of a failed load until one succeeds', async () => {
    let fail = true;
    const loader = new Loader(async () => {
      if (fail) throw new ApiError(503, 'UNAVAILABLE', 'gc is down');
      return [1, 2];
    });
    expect([loader.loading, loader.value]).toEqual([true, null]);
    await loader.load();
    expect(loader.loading).toBe(false);
    expect(messageOf(loader.error)).toBe('gc is down');
    fail = false;
    await loader.load();
    expect([loader.loading, loader.error, loader.value]).toEqual([false, null, [1, 2]]);
  });

  it('reloads quietly: what is shown stays, and a failure is said beside it', async () => {
    let answer: () => Promise<string> = async () => 'first';
    const loader = new Loader(() => answer());
    await loader.load();
    const gate = deferred<string>();
    answer = () => gate.promise;
    const reload = loader.load(true);
    expect([loader.loading, loader.value]).toEqual([false, 'first']);
    gate.reject(new Error('refused'));
    await reload;
    expect([loader.value, loader.error, loader.refreshError]).toEqual(['first', null, 'refused']);
    answer = async () => 'second';
    await loader.load(true);
    expect([loader.value, loader.refreshError]).toEqual(['second', null]);
  });

  it('keeps the newest answer when an older one arrives after it', async () => {
    const older = deferred<string>();
    const newer = deferred<string>();
    const answers = [older.promise, newer.promise];
    const loader = new Loader(() => answers.shift()!);
    const first = loader.load();
    const second = loader.load();
    newer.resolve('newer');
    await second;
    older.resolve('older');
    await first;
    expect([loader.value, loader.loading]).toEqual(['newer', false]);
  });
});

describe('Action', () => {
  it('keeps the message of a refused request and clears it on the next try', async () => {
    const action = new Action();
    expect(await action.run(async () => { throw new ApiError(403, 'DENIED', 'not allowed'); })).toBe(false);
    expect([action.busy, action.error]).toEqual([false, 'not allowed']);
    let seen: boolean | null = null;
    expect(await action.run(async () => { seen = action.busy; })).toBe(true);
    expect([seen, action.error]).toEqual([true, null]);
    action.refuse('Give a name.');
    expect(action.error).toBe('Give a name.');
  });
});

describe('Question', () => {
  it('asks before it acts, and does not act by itself', async () => {
    const question = new Question();
    let done = 0;
    question.ask('Delete tag', 'Delete tag 1.0 of team/app?', async () => { done++; });
    expect([question.open, question.title, question.text, question.confirmLabel, done])
      .toEqual([true, 'Delete tag', 'Delete tag 1.0 of team/app?', 'Delete', 0]);
    await question.action();
    expect(done).toBe(1);
    question.ask('Stop the run', 'Stop gc run 3?', () => {}, 'Stop');
    expect(question.confirmLabel).toBe('Stop');
  });
});
