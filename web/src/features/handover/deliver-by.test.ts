import { describe, expect, it } from 'vitest';
import { timeLeft } from './deliver-by.ts';

describe('timeLeft', () => {
  const at = Date.parse('2026-05-01T10:00:00Z');
  it('when the deadline is ahead, then days, hours and whole minutes are left', () => {
    expect(timeLeft('2026-05-02T12:30:59Z', at)).toEqual({
      overdue: false,
      days: 1,
      hours: 2,
      minutes: 30,
    });
  });
  it('when the deadline has passed, then it is overdue with nothing left', () => {
    expect(timeLeft('2026-05-01T09:59:00Z', at)).toEqual({
      overdue: true,
      days: 0,
      hours: 0,
      minutes: 0,
    });
  });
});
