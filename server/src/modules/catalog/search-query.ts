// The game search's words (issue 21 item 11): team names in both languages and the short names
// fans use (兄弟, 猿, 龍, 鷹, 獅, 悍將), stadiums, and date words (今天, 週六, 週末, this weekend,
// 6/14, 2026-06-14). A pure function over the teams and stadiums it is given: what the words
// mean, never a query.
import { addDays } from '../../shared/clock.ts';

export interface SearchTeam {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  shortName: string;
}

export interface SearchStadium {
  id: string;
  abbe: string;
  name: string;
  nameEn: string;
  city: string;
}

export interface ParsedSearch {
  teamIds: string[];
  stadiumIds: string[];
  /** Local dates [from, to] the words name; null when they name none. */
  dates: { from: string; to: string } | null;
  /** Words that meant nothing (shown to the reader; no game matches them). */
  unmatched: string[];
}

/** Nicknames fans type, by team code (the names and short names are matched as well). */
const TEAM_ALIASES: Record<string, string[]> = {
  ACN011: ['兄弟', '中信', '象', 'brothers', 'ctbc', 'elephants'],
  ADD011: ['統一', '獅', '7-11', 'lions', 'uni'],
  AJL011: ['樂天', '桃猿', '猿', '猴', 'monkeys', 'rakuten'],
  AEO011: ['富邦', '悍將', 'guardians', 'fubon'],
  AAA011: ['味全', '龍', 'dragons', 'wei chuan', 'weichuan'],
  AKP011: ['台鋼', '臺鋼', '雄鷹', '鷹', 'hawks', 'tsg'],
};

/** Stadium nicknames beyond their names, abbreviations and cities. */
const STADIUM_ALIASES: Record<string, string[]> = {
  大巨蛋: ['巨蛋', 'dome'],
  樂天桃園: ['桃園', 'taoyuan'],
  洲際: ['台中', 'taichung', 'intercontinental'],
  亞太主: ['亞太', '台南', 'tainan'],
  澄清湖: ['高雄', 'kaohsiung'],
  天母: ['tianmu'],
  新莊: ['xinzhuang'],
  嘉義市: ['嘉義', 'chiayi'],
  台東: ['臺東', 'taitung'],
  花蓮: ['hualien'],
  斗六: ['雲林', 'douliu'],
};

const WEEKDAYS: [RegExp, number][] = [
  [/^(週|周|星期|禮拜)(日|天)$|^(sunday|sun)$/, 0],
  [/^(週|周|星期|禮拜)一$|^(monday|mon)$/, 1],
  [/^(週|周|星期|禮拜)二$|^(tuesday|tue|tues)$/, 2],
  [/^(週|周|星期|禮拜)三$|^(wednesday|wed)$/, 3],
  [/^(週|周|星期|禮拜)四$|^(thursday|thu|thur|thurs)$/, 4],
  [/^(週|周|星期|禮拜)五$|^(friday|fri)$/, 5],
  [/^(週|周|星期|禮拜)六$|^(saturday|sat)$/, 6],
];

/** Chinese date words, longest first (they are cut out of runs of Chinese text). */
const ZH_DATE_WORDS = [
  '這個週末',
  '這週末',
  '本週末',
  '這周末',
  '本周末',
  '未來七天',
  '未來7天',
  '最近七天',
  '七天內',
  '7天內',
  '下週末',
  '下周末',
  '星期日',
  '星期天',
  '禮拜日',
  '禮拜天',
  '週末',
  '周末',
  '今天',
  '今日',
  '明天',
  '後天',
  '本週',
  '這週',
  '下週',
  ...['日', '天', '一', '二', '三', '四', '五', '六'].flatMap((d) => [
    `星期${d}`,
    `禮拜${d}`,
    `週${d}`,
    `周${d}`,
  ]),
];

const dayOfWeek = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

/** The next date on or after `today` that falls on `weekday` (0 = Sunday). */
function nextWeekday(today: string, weekday: number): string {
  return addDays(today, (weekday - dayOfWeek(today) + 7) % 7);
}

/** This weekend: Saturday and Sunday ahead (today, when today is Sunday). */
function weekend(today: string): { from: string; to: string } {
  if (dayOfWeek(today) === 0) return { from: today, to: today };
  const saturday = nextWeekday(today, 6);
  return { from: saturday, to: addDays(saturday, 1) };
}

function isRealDate(s: string) {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** A month and day without a year: this year's, or next year's once this year's has passed. */
function monthDay(today: string, month: number, day: number): string | null {
  const year = Number(today.slice(0, 4));
  const pad = (n: number) => String(n).padStart(2, '0');
  for (const y of [year, year + 1]) {
    const s = `${y}-${pad(month)}-${pad(day)}`;
    if (isRealDate(s) && s >= today) return s;
  }
  return null;
}

/** What one date word means, or null when it is not one. */
export function dateWord(word: string, today: string): { from: string; to: string } | null {
  const w = word.toLowerCase();
  const one = (d: string) => ({ from: d, to: d });
  if (['今天', '今日', 'today', 'tonight'].includes(w)) return one(today);
  if (['明天', 'tomorrow', 'tmr'].includes(w)) return one(addDays(today, 1));
  if (w === '後天') return one(addDays(today, 2));
  if (['週末', '周末', '這週末', '這周末', '本週末', '本周末', '這個週末', 'weekend'].includes(w))
    return weekend(today);
  if (['下週末', '下周末'].includes(w)) {
    const w1 = weekend(today);
    return { from: addDays(w1.to, 6), to: addDays(w1.to, 7) };
  }
  if (['本週', '這週', 'week'].includes(w)) return { from: today, to: nextWeekday(today, 0) };
  if (w === '下週') {
    const monday = addDays(nextWeekday(today, 0), 1);
    return { from: monday, to: addDays(monday, 6) };
  }
  if (['未來七天', '未來7天', '最近七天', '七天內', '7天內', '7days', '7d'].includes(w))
    return { from: today, to: addDays(today, 6) };
  for (const [re, weekday] of WEEKDAYS) if (re.test(w)) return one(nextWeekday(today, weekday));
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(w);
  if (m) {
    const s = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
    return isRealDate(s) ? one(s) : null;
  }
  m = /^(\d{1,2})[/.-](\d{1,2})$/.exec(w) ?? /^(\d{1,2})月(\d{1,2})(日|號)?$/.exec(w);
  if (m) {
    const d = monthDay(today, Number(m[1]), Number(m[2]));
    return d ? one(d) : null;
  }
  return null;
}

/** Two-word English phrases that are one date word ("this weekend", "next 7 days"). */
const EN_PHRASES: [RegExp, string][] = [
  [/\bthis\s+weekend\b/g, ' weekend '],
  [/\bnext\s+(7|seven)\s+days?\b/g, ' 7days '],
  [/\bthis\s+week\b/g, ' week '],
];

const CJK = /[\u3400-\u9fff]/;

/** Lower case, full-width folded, 臺 written 台 (fans write both). */
export const fold = (s: string) => s.normalize('NFKC').toLowerCase().replaceAll('臺', '台');

interface Names {
  id: string;
  words: string[];
}

function teamNames(teams: SearchTeam[]): Names[] {
  return teams.map((t) => ({
    id: t.id,
    words: [t.name, t.shortName, t.code, t.nameEn, ...(TEAM_ALIASES[t.code] ?? [])].map(fold),
  }));
}

function stadiumNames(stadiums: SearchStadium[]): Names[] {
  return stadiums.map((s) => ({
    id: s.id,
    words: [s.name, s.abbe, s.nameEn, s.city.slice(0, 3), ...(STADIUM_ALIASES[s.abbe] ?? [])].map(
      fold,
    ),
  }));
}

/** Ids whose names contain `word` as a word start (English) or anywhere (Chinese). */
function matchPrefix(word: string, names: Names[]): string[] {
  const cjk = CJK.test(word);
  return names
    .filter((n) =>
      n.words.some((w) =>
        cjk
          ? w.includes(word)
          : w.startsWith(word) || w.split(/[\s-]+/).some((p) => p.startsWith(word)),
      ),
    )
    .map((n) => n.id);
}

export function parseSearch(
  query: string,
  today: string,
  teams: SearchTeam[],
  stadiums: SearchStadium[],
): ParsedSearch {
  const teamIds = new Set<string>();
  const stadiumIds = new Set<string>();
  const unmatched: string[] = [];
  let dates: { from: string; to: string } | null = null;
  const addDates = (d: { from: string; to: string }) => {
    dates = dates
      ? { from: dates.from < d.from ? dates.from : d.from, to: dates.to > d.to ? dates.to : d.to }
      : d;
  };
  const tNames = teamNames(teams);
  const sNames = stadiumNames(stadiums);

  let text = fold(query);
  for (const [re, word] of EN_PHRASES) text = text.replace(re, word);
  // Multi-word names first ("wei chuan", "taipei dome"), so their words do not match apart.
  for (const list of [tNames, sNames])
    for (const n of list)
      for (const w of n.words)
        if (/\s/.test(w) && !CJK.test(w) && text.includes(w)) {
          (list === tNames ? teamIds : stadiumIds).add(n.id);
          text = text.replace(w, ' ');
        }

  // Runs of Chinese text carry several words without spaces (「兄弟週六洲際」): cut out known
  // words, longest first; what remains is matched as a prefix of a name while one is typed.
  const cjkKnown = [
    ...ZH_DATE_WORDS.map(fold).map((w) => ({ w, kind: 'date' as const, id: '' })),
    ...tNames.flatMap((n) =>
      n.words.filter((w) => CJK.test(w)).map((w) => ({ w, kind: 'team' as const, id: n.id })),
    ),
    ...sNames.flatMap((n) =>
      n.words.filter((w) => CJK.test(w)).map((w) => ({ w, kind: 'stadium' as const, id: n.id })),
    ),
  ].sort((a, b) => b.w.length - a.w.length);

  const tokens = text.split(/[\s,，、;；+&]+/).filter(Boolean);
  for (const token of tokens) {
    if (!CJK.test(token) || /^\d{1,2}月\d{1,2}[日號]?$/.test(token)) {
      const word = token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '') || token;
      const date = dateWord(word, today);
      if (date) {
        addDates(date);
        continue;
      }
      if (['vs', 'v', 'at', '@', 'game', 'games', 'tickets', 'ticket', 'the', 'and'].includes(word))
        continue;
      const t = matchPrefix(word, tNames);
      const s = t.length ? [] : matchPrefix(word, sNames);
      if (t.length && word.length >= 2) t.forEach((id) => teamIds.add(id));
      else if (s.length && word.length >= 2) s.forEach((id) => stadiumIds.add(id));
      else unmatched.push(token);
      continue;
    }
    let rest = token;
    for (const k of cjkKnown) {
      if (!rest.includes(k.w)) continue;
      if (k.kind === 'date') {
        const d = dateWord(k.w, today);
        if (d) addDates(d);
      } else (k.kind === 'team' ? teamIds : stadiumIds).add(k.id);
      rest = rest.split(k.w).join(' ');
    }
    for (const piece of rest.split(/\s+/).filter(Boolean)) {
      const clean = piece.replace(/(的|比賽|球賽|門票|票|賽事|場|對|vs)/g, '');
      if (!clean) continue;
      const t = matchPrefix(clean, tNames);
      const s = t.length ? [] : matchPrefix(clean, sNames);
      if (t.length) t.forEach((id) => teamIds.add(id));
      else if (s.length) s.forEach((id) => stadiumIds.add(id));
      else unmatched.push(piece);
    }
  }
  return { teamIds: [...teamIds], stadiumIds: [...stadiumIds], dates, unmatched };
}
