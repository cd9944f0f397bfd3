// Live checks of the sell form (pure; tested). Messages are i18n keys with their parameters.
import { DELIVERY_METHODS } from '../../../../shared/contracts/vocabulary.ts';
import type { SeatArea } from '../../api/types.ts';

export interface ListingDraft {
  areaId: string;
  section: string;
  row: string;
  seats: string;
  quantity: string;
  /** How a buyer may take part of it (shared/contracts/split-rule.ts). */
  splitRule: string;
  faceValue: string;
  price: string;
  deliveryMethod: string;
  note: string;
}

export interface FieldProblem {
  key: string;
  params?: Record<string, string | number>;
}

export type DraftProblems = Partial<Record<keyof ListingDraft | 'photos', FieldProblem>>;

export const NOTE_MAX = 500;

/** Digits only (any length: a 14-digit face value is out of range, not "missing"). */
function wholeNumber(value: string) {
  if (!/^\d+$/.test(value.trim())) return null;
  return Number(value.trim());
}

export function validateDraft(draft: ListingDraft, area: SeatArea | undefined): DraftProblems {
  const p: DraftProblems = {};
  if (!draft.areaId || !area) p.areaId = { key: 'sell.err.area' };
  if (!draft.section.trim()) p.section = { key: 'sell.err.section' };
  else if (draft.section.trim().length > 32)
    p.section = { key: 'sell.err.tooLong', params: { max: 32 } };
  if (draft.row.trim().length > 16) p.row = { key: 'sell.err.tooLong', params: { max: 16 } };
  if (draft.seats.trim().length > 64) p.seats = { key: 'sell.err.tooLong', params: { max: 64 } };
  const qty = wholeNumber(draft.quantity);
  if (qty === null || qty < 1 || qty > 8) p.quantity = { key: 'sell.err.quantity' };
  const face = wholeNumber(draft.faceValue);
  if (face === null || face <= 0) p.faceValue = { key: 'sell.err.faceValue' };
  else if (area && (face < area.faceValueMin || face > area.faceValueMax))
    p.faceValue = {
      key: 'sell.err.faceRange',
      params: { min: area.faceValueMin, max: area.faceValueMax },
    };
  const price = wholeNumber(draft.price);
  if (price === null || price <= 0) p.price = { key: 'sell.err.price' };
  else if (face !== null && face > 0 && price > face)
    p.price = { key: 'sell.err.aboveFace', params: { face } };
  if (!(DELIVERY_METHODS as readonly string[]).includes(draft.deliveryMethod))
    p.deliveryMethod = { key: 'sell.err.delivery' };
  if (draft.note.length > NOTE_MAX) p.note = { key: 'sell.err.tooLong', params: { max: NOTE_MAX } };
  return p;
}

/** The request body of a draft (trimmed; empty optional fields as null); the schema checks it. */
export function draftToBody(gameId: string, draft: ListingDraft) {
  return {
    gameId,
    areaId: draft.areaId,
    section: draft.section.trim(),
    row: draft.row.trim() || null,
    seats: draft.seats.trim() || null,
    quantity: Number(draft.quantity),
    splitRule: draft.splitRule,
    price: Number(draft.price),
    faceValue: Number(draft.faceValue),
    deliveryMethod: draft.deliveryMethod,
    note: draft.note.trim() || null,
  };
}

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/avif'];
export const PHOTO_MAX_BYTES = 8 * 1024 * 1024;
export const PHOTO_MAX_COUNT = 5;

/** Which of the chosen files can be sent (the server checks content again). */
export function checkPhoto(file: { type: string; size: number }): FieldProblem | null {
  if (!PHOTO_TYPES.includes(file.type)) return { key: 'sell.err.photoType' };
  if (file.size > PHOTO_MAX_BYTES) return { key: 'sell.err.photoSize', params: { mb: 8 } };
  return null;
}
