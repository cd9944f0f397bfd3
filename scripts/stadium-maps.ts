// `node scripts/stadium-maps.ts`: writes the schematic map of each park to
// server/src/data/maps/<abbe>.json (issue 22 item 1). Seen from above with home plate at the
// bottom: the field is a fan between the foul lines, and every seat area is one or more ring
// sectors around home plate (angles in degrees, 0 = towards right field's foul pole side, 90 =
// centre field; radii in map units). The layouts are approximate — the UI says so — and admins
// adjust a park's map through PATCH /api/admin/stadiums/:id, which stores an override.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

type Sector = [a0: number, a1: number, r0: number, r1: number];
const CX = 200;
const CY = 215;
const MARGIN = 6;

/** The box around every polygon, with a margin: no empty band around the park. */
function viewBoxOf(polygons: string[]): string {
  const pts = polygons.flatMap((p) => p.split(' ').map((xy) => xy.split(',').map(Number)));
  const xs = pts.map(([x]) => x!);
  const ys = pts.map(([, y]) => y!);
  const [x0, y0] = [Math.min(...xs) - MARGIN, Math.min(...ys) - MARGIN];
  return `${x0} ${y0} ${Math.max(...xs) + MARGIN - x0} ${Math.max(...ys) + MARGIN - y0}`;
}

const round = (n: number) => Math.round(n);
function pt(angle: number, r: number): [number, number] {
  const rad = (angle * Math.PI) / 180;
  return [round(CX + r * Math.cos(rad)), round(CY - r * Math.sin(rad))];
}

/** A ring sector as an SVG points string (arcs every ~8 degrees). */
function sector([a0, a1, r0, r1]: Sector): string {
  const steps = Math.max(2, Math.ceil((a1 - a0) / 8));
  const outer: [number, number][] = [];
  const inner: [number, number][] = [];
  for (let i = 0; i <= steps; i++) {
    const a = a0 + ((a1 - a0) * i) / steps;
    outer.push(pt(a, r1));
    inner.push(r0 === 0 ? pt(a, 0) : pt(a, r0));
  }
  const pts = r0 === 0 ? [[CX, CY] as [number, number], ...outer] : [...outer, ...inner.reverse()];
  return pts.map(([x, y]) => `${x},${y}`).join(' ');
}

function label([a0, a1, r0, r1]: Sector): [number, number] {
  return pt((a0 + a1) / 2, (r0 + r1) / 2);
}

// Sides: first base to the right (angles below 45), third base to the left (above 135).
const FIRST: [number, number] = [-60, 40];
const THIRD: [number, number] = [140, 240];
const BEHIND: [number, number] = [240, 300];
const both = (r0: number, r1: number): Sector[] => [
  [...FIRST, r0, r1],
  [...THIRD, r0, r1],
];

const STANDARD: Record<string, Sector[]> = {
  BHP: [[...BEHIND, 22, 75]],
  'HOT-1B': [[...FIRST, 22, 75]],
  'HOT-3B': [[...THIRD, 22, 75]],
  'INF-1B': [[...FIRST, 80, 150]],
  'INF-3B': [[...THIRD, 80, 150]],
  'OF-L': [[92, 135, 165, 205]],
  'OF-R': [[45, 88, 165, 205]],
};

const LAYOUTS: Record<string, Record<string, Sector[]>> = {
  大巨蛋: {
    BHP: [[...BEHIND, 22, 60]],
    'B1-HOT': both(22, 60),
    B1: both(65, 105),
    VIP: [[...BEHIND, 65, 105]],
    L2: [[140, 400, 110, 138]],
    L3: [[140, 400, 143, 170]],
    L5: [[140, 400, 175, 200]],
    OF: [[45, 135, 165, 205]],
  },
  樂天桃園: {
    ...STANDARD,
    'OF-R': [[45, 78, 165, 205]],
    ROCK: [[80, 100, 165, 205]],
    'OF-L': [[102, 135, 165, 205]],
  },
  新莊: {
    'INF-A': [[...FIRST, 80, 150]],
    'INF-B': [[...THIRD, 80, 150]],
    HOT: both(22, 75),
    MANHAN: [[...BEHIND, 22, 75]],
    OF: [[45, 135, 165, 205]],
  },
  洲際: { ...STANDARD, 'INF-LOW': [[...BEHIND, 80, 150]] },
  澄清湖: { ...STANDARD, EAGLE: [[...BEHIND, 80, 150]], UPPER: both(155, 190) },
  天母: {
    ...STANDARD,
    'OF-R': [[45, 78, 165, 205]],
    PICNIC: [[80, 100, 165, 205]],
    'OF-L': [[102, 135, 165, 205]],
  },
};

interface StadiumJson {
  abbe: string;
  nameEn: string;
  areas: { code: string }[];
}

const root = path.resolve(import.meta.dirname, '..');
const stadiums: StadiumJson[] = JSON.parse(
  readFileSync(path.join(root, 'server/src/data/stadiums.json'), 'utf8'),
);
/** The data file of a park: its English name as a slug (`taipei-dome.json`). */
export const mapFileName = (nameEn: string) =>
  `${nameEn
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}.json`;

for (const s of stadiums) {
  const layout = LAYOUTS[s.abbe] ?? STANDARD;
  const areas = s.areas.map((a) => {
    const sectors = layout[a.code];
    if (!sectors) throw new Error(`${s.abbe}: no layout for area ${a.code}`);
    return { code: a.code, polygons: sectors.map(sector), label: label(sectors[0]!) };
  });
  const field = [sector([45, 135, 0, 160])];
  const map = {
    abbe: s.abbe,
    approximate: true,
    viewBox: viewBoxOf([...field, ...areas.flatMap((a) => a.polygons)]),
    field,
    infield: [sector([45, 135, 0, 70])],
    areas,
  };
  writeFileSync(
    path.join(root, 'server/src/data/maps', mapFileName(s.nameEn)),
    `${JSON.stringify(map, null, 1)}\n`,
  );
}
