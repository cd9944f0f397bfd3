// The calendar's month titles and weekday names, shared by the calendar and its skeleton: plain
// tables instead of date-fns `format` (and its locales) on every render.
import type { UiLocale } from '../../lib/format.ts';

const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
export const WEEKDAYS_SHORT: Record<UiLocale, string[]> = {
  'zh-TW': ['日', '一', '二', '三', '四', '五', '六'],
  en: ['Su', 'Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa'],
};
export const WEEKDAYS_LONG: Record<UiLocale, string[]> = {
  'zh-TW': ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
};

export function monthTitle(month: Date, locale: UiLocale) {
  return locale === 'en'
    ? `${MONTHS_EN[month.getMonth()]} ${month.getFullYear()}`
    : `${month.getFullYear()}年${month.getMonth() + 1}月`;
}
