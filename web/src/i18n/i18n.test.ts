// Every translation key the code uses exists in both languages, and both languages have the same keys.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import enCore from './en.json' with { type: 'json' };
import enPages from './en.pages.json' with { type: 'json' };
import zhCore from './zh-TW.json' with { type: 'json' };
import zhPages from './zh-TW.pages.json' with { type: 'json' };

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : flatten(v, `${prefix}${k}.`),
  );
}
/** i18next plural forms (`_one`, `_other`) resolve from the bare key. */
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');

const zh = new Set([...flatten(zhCore as Tree), ...flatten(zhPages as Tree)].map(base));
const en = new Set([...flatten(enCore as Tree), ...flatten(enPages as Tree)].map(base));

const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

describe('translations', () => {
  it('when a key exists in one language, then it exists in the other', () => {
    expect([...zh].filter((k) => !en.has(k))).toEqual([]);
    expect([...en].filter((k) => !zh.has(k))).toEqual([]);
  });

  it('when the code calls t() with a literal key, then both languages have it', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(srcDir)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([A-Za-z][\w.-]*\.[\w.-]+)'/g)) used.add(m[1]!);
      for (const m of text.matchAll(/key: '([a-z]+\.[\w.]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((k) => !zh.has(k) || !en.has(k))).toEqual([]);
  });

  it('when the core bundle loads alone (home page), then the header, home and errors are in it', () => {
    for (const section of ['header', 'nav', 'footer', 'home', 'calendar', 'errors', 'bell']) {
      expect(zhCore).toHaveProperty(section);
      expect(enCore).toHaveProperty(section);
    }
  });
});
