import { describe, expect, it } from 'vitest';
import { Load, Question } from '../src/lib/pending.svelte';

describe('page state', () => {
  it('keeps the error of a load and clears it on the next', async () => {
    const load = new Load(true);
    expect(load.loading).toBe(true);
    const failure = new Error('refused');
    await load.run(async () => { throw failure; });
    expect([load.loading, load.error]).toEqual([false, failure]);
    let seen: boolean | null = null;
    await load.run(async () => { seen = load.loading; });
    expect([seen, load.error]).toEqual([true, null]);
  });

  it('leaves what is shown in place on a quiet load', async () => {
    const load = new Load();
    let seen: boolean | null = null;
    await load.run(async () => { seen = load.loading; }, true);
    expect(seen).toBe(false);
  });

  it('asks before it acts, and does not act by itself', async () => {
    const question = new Question();
    let done = 0;
    question.ask('Delete tag', 'Delete tag 1.0 of team/app?', async () => { done++; });
    expect([question.open, question.title, question.text, done]).toEqual([true, 'Delete tag', 'Delete tag 1.0 of team/app?', 0]);
    await question.action();
    expect(done).toBe(1);
  });
});
