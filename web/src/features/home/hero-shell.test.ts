// The hero written into index.html at build time is the markup React renders for it, so the page
// does not change under the reader when the JavaScript takes over.
import { createElement as h } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import '../../i18n/index.ts';
import zhTW from '../../i18n/zh-TW.json' with { type: 'json' };
import { Hero } from './hero.tsx';
import { heroShellHtml } from './hero-shell.ts';

describe('home hero in the HTML', () => {
  it('when the build writes the hero, then it is what React renders in zh-TW', () => {
    const rendered = renderToStaticMarkup(
      h(MemoryRouter, null, h('div', { className: 'page home' }, h(Hero))),
    ).replace(' data-discover="true"', '');
    expect(heroShellHtml(zhTW.home)).toBe(rendered);
    expect(rendered).toContain(zhTW.home.title);
  });

  it('when a string holds HTML characters, then they are escaped', () => {
    const html = heroShellHtml({ title: '<b>&', tagline: '"x"', sellCta: "it's" });
    expect(html).toContain('<h1 id="hero-title">&lt;b&gt;&amp;</h1>');
    expect(html).toContain('<p>&quot;x&quot;</p>');
    expect(html).toContain('it&#x27;s</a>');
  });
});
