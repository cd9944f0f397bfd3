// A table wider than a phone scrolls inside its box: the keyboard must be able to reach the box.
import { createElement as h } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { TableScroll } from './table-scroll.tsx';

describe('TableScroll', () => {
  it('when a table is wrapped, then its scrolling box is focusable and named by the heading', () => {
    const html = renderToStaticMarkup(
      h(TableScroll, { labelledBy: 'going-title', children: h('table') }),
    );
    expect(html).toBe(
      '<div class="table-scroll" tabindex="0" role="group" aria-labelledby="going-title"><table></table></div>',
    );
  });
});
