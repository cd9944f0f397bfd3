// Stadium maps (issue 22 item 1): a schematic SVG of each park, every seat area one or more
// polygons keyed to its area code. The geometry ships as a data file per park
// (server/src/data/maps/, written by scripts/stadium-maps.ts); an admin's adjustment is stored and
// served instead. Points are SVG `points` strings in the map's viewBox.
import { z } from 'zod';
import { SeatArea, StadiumRef } from './catalog.ts';
import { Twd } from './common.ts';

const Points = z
  .string()
  .max(4000)
  .regex(
    /^-?\d+(\.\d+)?,-?\d+(\.\d+)?( -?\d+(\.\d+)?,-?\d+(\.\d+)?){2,}$/,
    'SVG points "x,y x,y …"',
  );

export const MapArea = z.object({
  code: z.string().min(1).max(64),
  polygons: z.array(Points).min(1).max(8),
  /** Where the area's count is drawn. */
  label: z.tuple([z.number(), z.number()]),
});

export const StadiumGeometry = z.object({
  viewBox: z.string().regex(/^-?\d+ -?\d+ \d+ \d+$/),
  /** The layout is schematic, not surveyed: the UI says so in a footnote. */
  approximate: z.boolean(),
  field: z.array(Points).max(4),
  infield: z.array(Points).max(4),
  areas: z.array(MapArea).min(1).max(40),
});
export type StadiumGeometry = z.infer<typeof StadiumGeometry>;

/** GET /api/stadiums/:id/map */
export const StadiumMap = StadiumGeometry.extend({
  stadiumId: z.string(),
  areas: z.array(MapArea.extend({ areaId: z.string() })),
  /** True when an admin adjusted the map (else the park's data file). */
  adjusted: z.boolean(),
});
export type StadiumMap = z.infer<typeof StadiumMap>;

export const AdminAreaChange = z
  .object({
    code: z.string().min(1).max(64),
    name: z.string().trim().min(1).max(200).optional(),
    nameEn: z.string().trim().min(1).max(200).optional(),
    faceValueMin: Twd.min(1).optional(),
    faceValueMax: Twd.min(1).optional(),
  })
  .refine(
    (a) =>
      a.faceValueMin === undefined ||
      a.faceValueMax === undefined ||
      a.faceValueMin <= a.faceValueMax,
    { message: 'faceValueMin must not exceed faceValueMax', path: ['faceValueMin'] },
  );

/** PATCH /api/admin/stadiums/:id: the map, the areas' names and face-value ranges, or both. */
export const AdminStadiumBody = z
  .object({
    map: StadiumGeometry.optional(),
    areas: z.array(AdminAreaChange).min(1).max(40).optional(),
  })
  .refine((b) => b.map !== undefined || b.areas !== undefined, { message: 'give map or areas' });
export type AdminStadiumBody = z.infer<typeof AdminStadiumBody>;

export const AdminStadiumResult = StadiumRef.extend({
  areas: z.array(SeatArea),
  map: StadiumMap,
});
export type AdminStadiumResult = z.infer<typeof AdminStadiumResult>;
