// The sell form's fields as typed, which of them the seller has left (touched), and their live
// problems, shown once a field was touched or the form was sent.
import { useMemo, useState } from 'react';
import type { SeatArea } from '../../api/types.ts';
import {
  validateDraft,
  type DraftProblems,
  type FieldProblem,
  type ListingDraft,
} from './sell-validation.ts';

const EMPTY_DRAFT: ListingDraft = {
  areaId: '',
  section: '',
  row: '',
  seats: '',
  // Most sellers sell one ticket (issue 21 item 9).
  quantity: '1',
  splitRule: 'any',
  faceValue: '',
  price: '',
  deliveryMethod: 'eticket_transfer',
  note: '',
};

export type DraftField = keyof ListingDraft;

export function useListingDraft(areas: SeatArea[]) {
  const [draft, setDraft] = useState<ListingDraft>(EMPTY_DRAFT);
  const [touched, setTouched] = useState<Partial<Record<DraftField, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const area = areas.find((a) => a.id === draft.areaId);
  const problems: DraftProblems = useMemo(() => validateDraft(draft, area), [draft, area]);
  const show = (field: DraftField): FieldProblem | undefined =>
    submitted || touched[field] ? problems[field] : undefined;
  return {
    draft,
    area,
    problems,
    submitted,
    show,
    /** An input's onChange for one field. */
    set: (field: DraftField) => (e: { target: { value: string } }) =>
      setDraft((d) => ({ ...d, [field]: e.target.value })),
    touch: (field: DraftField) => () => setTouched((t) => ({ ...t, [field]: true })),
    /** aria-describedby: the field's problem (when shown) and its hint. */
    describedBy: (field: DraftField, hint?: string) =>
      [show(field) ? `${field}-error` : null, hint].filter(Boolean).join(' ') || undefined,
    markSubmitted: () => setSubmitted(true),
    reset: () => {
      setDraft(EMPTY_DRAFT);
      setTouched({});
      setSubmitted(false);
    },
  };
}

export type ListingDraftForm = ReturnType<typeof useListingDraft>;
