// What the buyer types for the seller (issue 18 item 2), checked before paying: an e-ticket needs a
// Taiwanese mobile number or an e-mail, mail a name, postal code and address, in person nothing.
// The server checks the same (shared/contracts/orders.ts HandoverRecipient).
import type { DeliveryMethod, HandoverRecipient } from '../../api/types.ts';

export interface RecipientDraft {
  account: string;
  name: string;
  postalCode: string;
  address: string;
}

export const EMPTY_RECIPIENT: RecipientDraft = {
  account: '',
  name: '',
  postalCode: '',
  address: '',
};

export const needsRecipient = (method: DeliveryMethod) => method !== 'in_person';

export type RecipientCheck =
  | { ok: true; recipient: HandoverRecipient | undefined }
  | { ok: false; error: 'account' | 'name' | 'postalCode' | 'address' };

export function checkRecipient(method: DeliveryMethod, draft: RecipientDraft): RecipientCheck {
  if (method === 'in_person') return { ok: true, recipient: undefined };
  if (method === 'eticket_transfer') {
    const typed = draft.account.trim();
    const phone = typed.replace(/[\s-]/g, '');
    if (/^09\d{8}$/.test(phone)) return { ok: true, recipient: { kind: 'phone', phone } };
    if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(typed) && typed.length <= 254)
      return { ok: true, recipient: { kind: 'email', email: typed } };
    return { ok: false, error: 'account' };
  }
  const name = draft.name.trim();
  const postalCode = draft.postalCode.replace(/\s/g, '');
  const address = draft.address.trim();
  if (!name || name.length > 50) return { ok: false, error: 'name' };
  if (!/^\d{3}(\d{2,3})?$/.test(postalCode)) return { ok: false, error: 'postalCode' };
  if (address.length < 5 || address.length > 200) return { ok: false, error: 'address' };
  return { ok: true, recipient: { kind: 'address', name, postalCode, address } };
}
