// The park's schematic map (issue 22 item 1), loaded lazily with its own chunk and styles: each
// seat area a polygon shaded by its tickets and lowest price as a share of face value, with its
// count. One tab stop (roving tabindex): arrow keys move between areas, Enter or Space selects
// one (the list below filters to it), again to clear. Each area's accessible name carries its
// count and lowest price; the list of tickets stays the text alternative for screen readers.
import { useQuery } from '@tanstack/react-query';
import { useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { PriceSummary, StadiumMap as StadiumMapData } from '../../api/types.ts';
import { formatMoney } from '../../lib/format.ts';
import { useLocale } from '../../lib/hooks.ts';
import { localName } from '../../lib/names.ts';
import './stadium-map.css';

export const stadiumMapQuery = (stadiumId: string) => ({
  queryKey: ['stadium-map', stadiumId],
  queryFn: () => api<StadiumMapData>(`/api/stadiums/${encodeURIComponent(stadiumId)}/map`),
  staleTime: 60 * 60_000,
});

type AreaPrices = PriceSummary['items'][number];

/** The shade of an area: nothing for sale, or its lowest price against face value. */
export function shadeOf(a: AreaPrices | undefined): 'none' | 'deal' | 'fair' | 'face' {
  if (!a || a.tickets === 0 || a.minFacePct === null) return 'none';
  if (a.minFacePct <= 75) return 'deal';
  if (a.minFacePct <= 95) return 'fair';
  return 'face';
}

export interface StadiumMapProps {
  stadiumId: string;
  stadiumName: string;
  /** The game's price summary (for n seats together when the list is filtered so). */
  prices?: PriceSummary | undefined;
  /** The area the list is filtered to. */
  selectedAreaId?: string | undefined;
  /** Selecting an area filters the list (undefined: all areas). Absent: the map only shows. */
  onSelect?: (areaId: string | undefined) => void;
  /** A listing's area, highlighted (the listing page). */
  highlightAreaId?: string | undefined;
}

export default function StadiumMap(props: StadiumMapProps) {
  const { stadiumId, stadiumName, prices, selectedAreaId, onSelect, highlightAreaId } = props;
  const { t } = useTranslation();
  const locale = useLocale();
  const map = useQuery(stadiumMapQuery(stadiumId));
  const [focus, setFocus] = useState(0);
  const refs = useRef<(SVGGElement | null)[]>([]);
  if (!map.data) return null;
  const byArea = new Map(prices?.items.map((p) => [p.areaId, p]));
  const areas = map.data.areas;
  const selectedIndex = areas.findIndex((a) => a.areaId === selectedAreaId);
  // The tab stop: the selected area, else the last focused one.
  const stop =
    selectedIndex >= 0 && focus === 0 ? selectedIndex : Math.min(focus, areas.length - 1);

  const nameOf = (areaId: string, code: string) => {
    const p = byArea.get(areaId);
    const area = p ? localName(p, locale) : code;
    if (!p || p.tickets === 0 || p.minPrice === null) return t('map.areaEmpty', { area });
    return t('map.areaName', {
      area,
      count: p.tickets,
      price: formatMoney(p.minPrice),
      pct: p.minFacePct ?? 100,
    });
  };

  const move = (to: number) => {
    const next = (to + areas.length) % areas.length;
    setFocus(next);
    refs.current[next]?.focus();
  };
  const choose = (i: number) => {
    const a = areas[i]!;
    setFocus(i);
    onSelect?.(a.areaId === selectedAreaId ? undefined : a.areaId);
  };
  const onKeyDown = (e: KeyboardEvent, i: number) => {
    const keys: Record<string, () => void> = {
      ArrowRight: () => move(i + 1),
      ArrowDown: () => move(i + 1),
      ArrowLeft: () => move(i - 1),
      ArrowUp: () => move(i - 1),
      Home: () => move(0),
      End: () => move(areas.length - 1),
      Enter: () => choose(i),
      ' ': () => choose(i),
    };
    const act = keys[e.key];
    if (!act) return;
    e.preventDefault();
    act();
  };

  return (
    <figure className="stadium-map">
      <svg
        viewBox={map.data.viewBox}
        role={onSelect ? 'group' : 'img'}
        aria-label={t('map.label', { stadium: stadiumName })}
      >
        {map.data.field.map((p) => (
          <polygon key={p} points={p} className="map-field" />
        ))}
        {map.data.infield.map((p) => (
          <polygon key={p} points={p} className="map-infield" />
        ))}
        {areas.map((a, i) => {
          const p = byArea.get(a.areaId);
          const selected = a.areaId === selectedAreaId;
          const highlighted = a.areaId === highlightAreaId;
          const className = [
            'map-area',
            `shade-${shadeOf(p)}`,
            selected ? 'selected' : '',
            highlighted ? 'highlighted' : '',
          ]
            .filter(Boolean)
            .join(' ');
          const shapes = (
            <>
              {a.polygons.map((pts) => (
                <polygon key={pts} points={pts} />
              ))}
              {p && p.tickets > 0 && (
                <text x={a.label[0]} y={a.label[1]} aria-hidden="true">
                  {p.tickets}
                </text>
              )}
            </>
          );
          if (!onSelect)
            return (
              <g key={a.areaId} className={className} aria-hidden={!highlighted}>
                {highlighted && <title>{nameOf(a.areaId, a.code)}</title>}
                {shapes}
              </g>
            );
          return (
            <g
              key={a.areaId}
              ref={(el) => {
                refs.current[i] = el;
              }}
              className={className}
              role="button"
              tabIndex={i === stop ? 0 : -1}
              aria-pressed={selected}
              aria-label={nameOf(a.areaId, a.code)}
              onClick={() => choose(i)}
              onKeyDown={(e) => onKeyDown(e, i)}
              onFocus={() => setFocus(i)}
            >
              {shapes}
            </g>
          );
        })}
      </svg>
      <figcaption>
        {highlightAreaId && !onSelect && (
          <p className="small">
            <span className="swatch highlight" /> {t('map.thisArea')}
          </p>
        )}
        {prices && (
          <ul className="map-legend plain">
            <li>
              <span className="swatch shade-deal" /> {t('map.deal')}
            </li>
            <li>
              <span className="swatch shade-fair" /> {t('map.fair')}
            </li>
            <li>
              <span className="swatch shade-face" /> {t('map.face')}
            </li>
            <li>
              <span className="swatch shade-none" /> {t('map.none')}
            </li>
          </ul>
        )}
        {onSelect && <p className="muted small">{t('map.howTo')}</p>}
        {map.data.approximate && <p className="muted small">{t('map.approximate')}</p>}
      </figcaption>
    </figure>
  );
}
