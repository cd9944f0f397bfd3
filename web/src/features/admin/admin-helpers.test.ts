import { describe, expect, it } from 'vitest';
import { idFromInput, taipeiInputToIso, weekAfter } from './admin-page.tsx';

describe('admin helpers', () => {
  it('when a make-up time is typed, then it is read as Taipei time', () => {
    expect(taipeiInputToIso('2026-11-28T18:35')).toBe('2026-11-28T10:35:00.000Z');
    expect(taipeiInputToIso('tomorrow')).toBeNull();
  });

  it('when a page URL is pasted, then its id is used', () => {
    expect(idFromInput('https://x.tw/listings/01abc/?ref=1')).toBe('01abc');
    expect(idFromInput(' 01abc ')).toBe('01abc');
  });

  it('when a week is asked for, then it ends six days later', () => {
    expect(weekAfter('2026-11-28')).toBe('2026-12-04');
    expect(weekAfter('nope')).toBe('');
  });
});
