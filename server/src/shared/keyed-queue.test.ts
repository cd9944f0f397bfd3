import { describe, expect, it } from 'vitest';
import { createKeyedQueue } from './keyed-queue.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('keyed queue', () => {
  it('when tasks of one key overlap, then they run one at a time in arrival order', async () => {
    const queue = createKeyedQueue();
    const events: string[] = [];
    let running = 0;
    let most = 0;
    const task = (name: string) => async () => {
      running++;
      most = Math.max(most, running);
      events.push(`start ${name}`);
      await tick();
      events.push(`end ${name}`);
      running--;
      return name;
    };
    const results = await Promise.all(['a', 'b', 'c'].map((n) => queue('listing-1', task(n))));
    expect(results).toEqual(['a', 'b', 'c']);
    expect(most).toBe(1);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('when tasks of different keys overlap, then they run together', async () => {
    const queue = createKeyedQueue();
    let running = 0;
    let most = 0;
    const task = async () => {
      running++;
      most = Math.max(most, running);
      await tick();
      running--;
    };
    await Promise.all([queue('a', task), queue('b', task), queue('c', task)]);
    expect(most).toBe(3);
  });

  it('when a task fails, then its caller gets the error and the next task of the key still runs', async () => {
    const queue = createKeyedQueue();
    const failing = queue('k', async () => {
      await tick();
      throw new Error('refused');
    });
    const next = queue('k', async () => 'ran');
    await expect(failing).rejects.toThrow('refused');
    await expect(next).resolves.toBe('ran');
  });

  it('when every task of a key has settled, then the key is forgotten (no growth per listing)', async () => {
    const queue = createKeyedQueue();
    await Promise.all([queue('a', tick), queue('b', tick)]);
    await tick();
    expect(queue.size).toBe(0);
  });
});
