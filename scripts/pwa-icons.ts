// `node scripts/pwa-icons.ts`: draws the web app's install icons (web/public/icons) from one SVG:
// any-purpose icons (ball on the brand blue, rounded) and a maskable one whose ball stays inside
// the central 80 % safe zone that launchers keep when they cut the icon into a circle or squircle.
// The PNGs are committed; run again only when the drawing changes.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const out = fileURLToPath(new URL('../web/public/icons/', import.meta.url));

/** The ball (white with red seams) on the brand blue; `inset` is the ball's margin in 0–512 units. */
function svg(inset: number, rounded: boolean) {
  const r = 256 - inset;
  const s = r / 30; // the favicon's ball has radius 30 on a 64 grid
  const c = (x: number) => 256 + (x - 32) * s;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">
  <rect width="512" height="512" rx="${rounded ? 96 : 0}" fill="#0b3d91"/>
  <circle cx="256" cy="256" r="${r}" fill="#fff"/>
  <path d="M${c(14)} ${c(14)}c${8 * s} ${8 * s} ${8 * s} ${28 * s} 0 ${36 * s}M${c(50)} ${c(14)}c${-8 * s} ${8 * s} ${-8 * s} ${28 * s} 0 ${36 * s}"
    fill="none" stroke="#d7263d" stroke-width="${3 * s}" stroke-dasharray="${4 * s} ${3 * s}"/>
</svg>`;
}

mkdirSync(out, { recursive: true });
const any = Buffer.from(svg(72, true));
const maskable = Buffer.from(svg(120, false));
const jobs: [Buffer, number, string][] = [
  [any, 192, 'icon-192.png'],
  [any, 512, 'icon-512.png'],
  [maskable, 512, 'maskable-512.png'],
  [maskable, 180, 'apple-touch-icon.png'],
];
for (const [source, size, name] of jobs) {
  await sharp(source).resize(size, size).png({ compressionLevel: 9 }).toFile(path.join(out, name));
  console.log(`web/public/icons/${name}`);
}
