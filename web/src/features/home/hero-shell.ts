// The home page's hero as static HTML, written into index.html by the web build (vite.config.ts)
// so that the largest text of the landing page paints with the document, before the JavaScript
// has loaded and React has rendered. React then renders the same markup over it (<Hero>; a test
// keeps the two equal). Only `/` gets it, in zh-TW: other pages and English readers get app.html,
// the shell without it (see server/src/platform/http/web-app.ts).

export interface HeroStrings {
  title: string;
  tagline: string;
  sellCta: string;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' })[c]!,
  );

/** `<div class="page home">` with the hero, as React renders it inside `<main>`. */
export function heroShellHtml(strings: HeroStrings): string {
  return (
    '<div class="page home"><section class="hero" aria-labelledby="hero-title">' +
    `<h1 id="hero-title">${escapeHtml(strings.title)}</h1>` +
    `<p>${escapeHtml(strings.tagline)}</p>` +
    `<p class="hero-actions"><a class="button accent" href="/sell">${escapeHtml(strings.sellCta)}</a></p>` +
    '</section></div>'
  );
}
