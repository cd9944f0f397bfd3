// The seller's evidence for "mark sent" (issue 18 item 4), checked as the server checks it
// (shared/contracts/orders.ts: TrackingNumber, HandoverCode) before anything is sent.
import type { DeliveryMethod } from '../../api/types.ts';

export const PROOF_ACCEPT = 'image/jpeg,image/png,image/webp,image/avif';
export const MAX_PROOF_BYTES = 8 * 1024 * 1024;

/** Letters and digits once spaces and dashes go: 8 to 30 of them, at least 8 digits. */
export function trackingNumberOk(s: string): boolean {
  const n = s.replace(/[\s-]/g, '').toUpperCase();
  return /^[A-Z0-9]{8,30}$/.test(n) && (n.match(/\d/g)?.length ?? 0) >= 8;
}

export const codeOk = (s: string) => /^\d{6}$/.test(s.replace(/\s/g, ''));

/** The body of POST /api/orders/:id/deliver for the method (FormData when a photo goes along). */
export function deliverBody(
  method: DeliveryMethod,
  input: { note: string; photo: File | null; trackingNumber: string; code: string },
): FormData | Record<string, string> {
  const note = input.note.trim();
  if (method === 'eticket_transfer') {
    const form = new FormData();
    if (note) form.append('note', note);
    if (input.photo) form.append('proof', input.photo);
    return form;
  }
  const evidence: Record<string, string> =
    method === 'paper_mail'
      ? { trackingNumber: input.trackingNumber.trim() }
      : { code: input.code.replace(/\s/g, '') };
  return note ? { ...evidence, note } : evidence;
}
