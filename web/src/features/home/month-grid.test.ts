import { describe, expect, it } from 'vitest';
import { keyToDate } from '../../lib/format.ts';
import { addMonths, focusTarget, monthGrid, moveFocus } from './month-grid.ts';

describe('month grid', () => {
  it('when a month is shown, then six weeks from the Sunday on or before the 1st are listed', () => {
    // November 2026 starts on a Sunday; February 2026 on a Sunday too; August 2026 on a Saturday.
    const nov = monthGrid(keyToDate('2026-11-15'));
    expect(nov).toHaveLength(42);
    expect(nov[0]).toBe('2026-11-01');
    expect(nov.at(-1)).toBe('2026-12-12');
    const aug = monthGrid(keyToDate('2026-08-01'));
    expect(aug[0]).toBe('2026-07-26');
    expect(aug[6]).toBe('2026-08-01');
    expect(aug.at(-1)).toBe('2026-09-05');
  });

  it('when the grid crosses a year, then the dates roll over', () => {
    const jan = monthGrid(keyToDate('2027-01-01'));
    expect(jan[0]).toBe('2026-12-27');
    expect(jan).toContain('2027-01-31');
  });

  it('when keys are pressed, then the focus moves by day, week, week end and month', () => {
    expect(moveFocus('2026-11-30', 'ArrowRight')).toBe('2026-12-01');
    expect(moveFocus('2026-11-01', 'ArrowLeft')).toBe('2026-10-31');
    expect(moveFocus('2026-11-28', 'ArrowDown')).toBe('2026-12-05');
    expect(moveFocus('2026-11-03', 'ArrowUp')).toBe('2026-10-27');
    expect(moveFocus('2026-11-25', 'Home')).toBe('2026-11-22'); // Wednesday → Sunday
    expect(moveFocus('2026-11-25', 'End')).toBe('2026-11-28'); // → Saturday
    expect(moveFocus('2026-11-25', 'PageDown')).toBe('2026-12-25');
    expect(moveFocus('2026-11-25', 'PageUp', true)).toBe('2025-11-25');
    expect(moveFocus('2026-11-25', 'Enter')).toBeNull();
  });

  it('when a month is shorter, then moving by months keeps to its last day', () => {
    expect(addMonths('2027-01-31', 1)).toBe('2027-02-28');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
  });

  it('when the grid gets its tab stop, then it is the selected day, else today, else the 1st', () => {
    const nov = keyToDate('2026-11-01');
    expect(focusTarget(nov, '2026-11-20', '2026-11-26')).toBe('2026-11-20');
    expect(focusTarget(nov, '2026-10-20', '2026-11-26')).toBe('2026-11-26');
    expect(focusTarget(nov, '2026-10-20', '2026-10-26')).toBe('2026-11-01');
  });
});
