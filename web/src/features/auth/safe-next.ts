function hasControlCharacter(text: string) {
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * Where to go after signing in: only a path of this site. Anything that would leave it — `//host`,
 * `/\host` (browsers read `\` as `/`), a scheme, control characters — falls back to `/`.
 */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.includes('\\') || hasControlCharacter(next))
    return '/';
  const base = 'https://pitch-a-seat.invalid';
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return '/';
  }
  if (url.origin !== base) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}
