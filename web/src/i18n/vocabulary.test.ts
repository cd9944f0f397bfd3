// Every word of the shared vocabulary the web shows has a translation in both languages: a status
// added on the server without one fails here instead of reaching a reader as a raw key.
import { describe, expect, it } from 'vitest';
import {
  DELIVERY_METHODS,
  GAME_CHANGE_KINDS,
  GAME_KINDS,
  GAME_STATUSES,
  LISTING_SORTS,
  LISTING_STATUSES,
  ORDER_ACTORS,
  ORDER_STATUSES,
  RECOMMENDATION_REASONS,
  RESERVATION_STATUSES,
  SPLIT_RULES,
} from '../../../shared/contracts/vocabulary.ts';
import enCore from './en.json' with { type: 'json' };
import enPages from './en.pages.json' with { type: 'json' };
import zhCore from './zh-TW.json' with { type: 'json' };
import zhPages from './zh-TW.pages.json' with { type: 'json' };

type Strings = Record<string, Record<string, string>>;
const languages = {
  'zh-TW': { ...zhCore, ...zhPages } as unknown as Strings,
  en: { ...enCore, ...enPages } as unknown as Strings,
};

/** i18n section → the list whose every word it translates. */
const SECTIONS: [string, readonly string[]][] = [
  ['gameKind', GAME_KINDS],
  ['gameStatus', GAME_STATUSES],
  ['listingStatus', LISTING_STATUSES],
  ['listingStatusShort', LISTING_STATUSES],
  ['sort', LISTING_SORTS],
  ['delivery', DELIVERY_METHODS],
  ['deliveryHint', DELIVERY_METHODS],
  ['orderStatus', ORDER_STATUSES],
  ['actor', ORDER_ACTORS],
  ['reservationStatus', RESERVATION_STATUSES],
  ['reasons', RECOMMENDATION_REASONS],
  ['gameChange', GAME_CHANGE_KINDS],
  ['split', SPLIT_RULES],
];

describe('shared vocabulary', () => {
  for (const [lang, strings] of Object.entries(languages)) {
    it(`when the server sends a status, sort or reason, then ${lang} has words for it`, () => {
      const missing = SECTIONS.flatMap(([section, words]) =>
        words
          .filter((w) => typeof strings[section]?.[w] !== 'string')
          .map((w) => `${section}.${w}`),
      );
      expect(missing).toEqual([]);
    });
  }
});
