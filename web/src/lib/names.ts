// Names of teams, parks and seat areas in the reader's language.
import type { UiLocale } from './format.ts';

interface Named {
  name: string;
  nameEn: string;
}

export function localName(item: Named | null | undefined, locale: UiLocale): string {
  if (!item) return '';
  return locale === 'en' ? item.nameEn : item.name;
}

/** Short team name: 兄弟 / Brothers. */
export function teamShort(team: Named & { shortName?: string }, locale: UiLocale): string {
  if (locale === 'en') return team.nameEn.split(' ').at(-1) ?? team.nameEn;
  return team.shortName ?? team.name;
}

/** `樂天 vs 兄弟` (away at home, as CPBL writes it: away team first). */
export function matchTitle(
  game: { homeTeam: Named & { shortName?: string }; awayTeam: Named & { shortName?: string } },
  locale: UiLocale,
): string {
  return `${teamShort(game.awayTeam, locale)} vs ${teamShort(game.homeTeam, locale)}`;
}

export function stadiumName(
  stadium: { abbe?: string; name: string; nameEn: string } | null | undefined,
  locale: UiLocale,
): string {
  if (!stadium) return '';
  return locale === 'en' ? stadium.nameEn : stadium.name;
}
