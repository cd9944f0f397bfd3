// On an order: the seller reads where the ticket goes; a buyer who has not said yet (or paid
// through the API without it) gives it here, until the ticket is sent.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Order } from '../../api/types.ts';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { orderQuery, putRecipient } from '../checkout/orders-api.ts';
import {
  checkRecipient,
  EMPTY_RECIPIENT,
  needsRecipient,
  type RecipientCheck,
} from './recipient.ts';
import { RecipientFields, RecipientView } from './recipient-fields.tsx';

export function RecipientPanel({ order, role }: { order: Order; role: 'buyer' | 'seller' }) {
  const { t } = useTranslation();
  const method = order.listing.deliveryMethod;
  if (!needsRecipient(method) || order.status !== 'paid') {
    return order.recipient && role === 'seller' ? (
      <RecipientView recipient={order.recipient} />
    ) : null;
  }
  if (role === 'seller')
    return order.recipient ? (
      <RecipientView recipient={order.recipient} />
    ) : (
      <p className="notice small">{t('handover.recipientMissing')}</p>
    );
  return order.recipientGiven ? (
    <p className="small">✓ {t('handover.recipientGiven')}</p>
  ) : (
    <GiveRecipient order={order} />
  );
}

function GiveRecipient({ order }: { order: Order }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [draft, setDraft] = useState(EMPTY_RECIPIENT);
  const [error, setError] = useState<(RecipientCheck & { ok: false })['error'] | null>(null);
  const save = useMutation({
    mutationFn: (recipient: Parameters<typeof putRecipient>[1]) =>
      putRecipient(order.id, recipient),
    onSuccess: (o) => qc.setQueryData(orderQuery(order.id).queryKey, o),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const check = checkRecipient(order.listing.deliveryMethod, draft);
    if (!check.ok) {
      setError(check.error);
      document.getElementById(`recipient-${check.error}`)?.focus();
      return;
    }
    setError(null);
    if (check.recipient) save.mutate(check.recipient);
  };
  return (
    <form onSubmit={submit} noValidate aria-label={t('handover.giveRecipient')}>
      <RecipientFields
        method={order.listing.deliveryMethod}
        draft={draft}
        onChange={setDraft}
        error={error}
      />
      <button type="submit" className="button small" disabled={save.isPending}>
        {t('handover.save')}
      </button>
      {save.isError && <ErrorNotice error={save.error} />}
    </form>
  );
}
