import { describe, expect, it } from 'vitest';
import {
  byStartsAt,
  dateKey,
  formatCardNumber,
  formatCountdown,
  formatDateTime,
  formatGameTime,
  formatLocalDate,
  formatMoney,
  monthRange,
  percentOfFace,
  secondsLeft,
  simulatorPrime,
  taipeiToday,
} from './format.ts';

describe('money', () => {
  it('when an amount is shown, then it reads NT$ with thousands separators', () => {
    expect(formatMoney(1200)).toBe('NT$1,200');
    expect(formatMoney(0)).toBe('NT$0');
    expect(formatMoney(1234567)).toBe('NT$1,234,567');
  });

  it('when there is no amount, then a dash stands in', () => {
    expect(formatMoney(null)).toBe('—');
    expect(formatMoney(undefined)).toBe('—');
    expect(formatMoney(Number.NaN)).toBe('—');
  });

  it('when a price is compared with face value, then the whole percent is given', () => {
    expect(percentOfFace(1020, 1200)).toBe(85);
    expect(percentOfFace(1200, 1200)).toBe(100);
    expect(percentOfFace(100, 0)).toBeNull();
  });
});

describe('ordering games', () => {
  it('when games are sorted by start, then the earliest comes first and equal starts keep their order', () => {
    const games = [
      { id: 'c', startsAt: '2026-11-28T11:05:00.000Z' },
      { id: 'a', startsAt: '2026-11-28T09:05:00.000Z' },
      { id: 'd', startsAt: '2026-11-29T09:05:00.000Z' },
      { id: 'b', startsAt: '2026-11-28T09:05:00.000Z' },
    ];
    expect([...games].sort(byStartsAt).map((g) => g.id)).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('time in Asia/Taipei', () => {
  // 2026-11-28 09:05 UTC is Saturday 17:05 in Taipei.
  const iso = '2026-11-28T09:05:00.000Z';

  it('when a game time is shown in zh-TW, then it has the weekday in Chinese', () => {
    expect(formatGameTime(iso, 'zh-TW')).toBe('11/28 (六) 17:05');
  });

  it('when a game time is shown in English, then the weekday is abbreviated', () => {
    expect(formatGameTime(iso, 'en')).toBe('11/28 (Sat) 17:05');
  });

  it('when the UTC date is the day before, then the Taipei date is used', () => {
    // 2026-11-27 17:30 UTC is 01:30 on Saturday the 28th in Taipei.
    expect(formatGameTime('2026-11-27T17:30:00Z', 'zh-TW')).toBe('11/28 (六) 01:30');
    expect(taipeiToday(new Date('2026-11-27T17:30:00Z'))).toBe('2026-11-28');
  });

  it('when a timestamp needs the year, then it is included', () => {
    expect(formatDateTime(iso, 'zh-TW')).toBe('2026/11/28 (六) 17:05');
  });

  it('when a local date is shown, then it reads month/day with the weekday', () => {
    expect(formatLocalDate('2026-11-29', 'zh-TW')).toBe('11/29 (日)');
    expect(formatLocalDate('2026-11-29', 'en')).toBe('11/29 (Sun)');
  });
});

describe('Taipei arithmetic agrees with the time-zone database', () => {
  it('when any moment from 2020 to 2030 is shown, then it matches Intl in Asia/Taipei', () => {
    const intl = new Intl.DateTimeFormat('en-US', {
      timeZone: 'Asia/Taipei',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
    });
    const start = Date.parse('2020-01-01T00:00:00Z');
    const span = Date.parse('2030-12-31T00:00:00Z') - start;
    for (let i = 0; i < 500; i++) {
      const at = new Date(start + Math.floor((((i * 7919) % 500) / 500) * span) + i * 61_000);
      const p = Object.fromEntries(intl.formatToParts(at).map((x) => [x.type, x.value]));
      expect(formatGameTime(at, 'en')).toBe(
        `${p.month}/${p.day} (${p.weekday}) ${p.hour}:${p.minute}`,
      );
    }
  });
});

describe('calendar helpers', () => {
  it('when a month is shown, then the range covers whole weeks from Sunday', () => {
    // November 2026 starts on a Sunday and ends on a Monday.
    expect(monthRange(new Date(2026, 10, 1))).toEqual({ from: '2026-11-01', to: '2026-12-05' });
    // February 2027 starts on a Monday.
    expect(monthRange(new Date(2027, 1, 1))).toEqual({ from: '2027-01-31', to: '2027-03-06' });
  });

  it('when a calendar date is keyed, then it is YYYY-MM-DD', () => {
    expect(dateKey(new Date(2026, 0, 5))).toBe('2026-01-05');
  });
});

describe('checkout helpers', () => {
  it('when the hold is counted down, then minutes and seconds are shown and never negative', () => {
    const now = Date.parse('2026-11-28T09:00:00Z');
    expect(secondsLeft('2026-11-28T09:10:00Z', now)).toBe(600);
    expect(secondsLeft('2026-11-28T08:59:00Z', now)).toBe(0);
    expect(formatCountdown(599)).toBe('9:59');
    expect(formatCountdown(5)).toBe('0:05');
  });

  it('when a test card is entered, then the simulator prime follows docs/PRODUCT.md §4.1', () => {
    expect(simulatorPrime('4242 4242 4242 4242')).toBe('sim_approve');
    expect(simulatorPrime('4000000000000002')).toBe('sim_decline');
    expect(simulatorPrime('4000 0000 0000 3220')).toBe('sim_3ds');
    expect(simulatorPrime('5555 5555 5555 4444')).toBeNull();
  });

  it('when a card number is typed, then it is grouped by four digits', () => {
    expect(formatCardNumber('4242424242424242')).toBe('4242 4242 4242 4242');
    expect(formatCardNumber('42a4-2')).toBe('4242');
  });
});
