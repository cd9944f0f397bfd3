// The recipient fields of checkout (and of a paid order whose buyer gave none): what the seller
// needs for this listing's delivery method. Only the seller sees them, once paid.
import { useTranslation } from 'react-i18next';
import type { DeliveryMethod, HandoverRecipient } from '../../api/types.ts';
import type { RecipientCheck, RecipientDraft } from './recipient.ts';

export function RecipientFields({
  method,
  draft,
  onChange,
  error,
}: {
  method: DeliveryMethod;
  draft: RecipientDraft;
  onChange: (draft: RecipientDraft) => void;
  error: (RecipientCheck & { ok: false })['error'] | null;
}) {
  const { t } = useTranslation();
  if (method === 'in_person') return null;
  const input = (id: keyof RecipientDraft, extra: Record<string, string> = {}) => (
    <label className="field" key={id}>
      <span>{t(`handover.field.${id}`)}</span>
      <input
        id={`recipient-${id}`}
        required
        value={draft[id]}
        aria-invalid={error === id}
        aria-describedby={error === id ? 'recipient-error' : 'recipient-help'}
        onChange={(e) => onChange({ ...draft, [id]: e.target.value })}
        {...extra}
      />
    </label>
  );
  return (
    <fieldset className="form recipient-fields">
      <legend>{t('handover.recipientTitle')}</legend>
      <p className="small muted" id="recipient-help">
        {t(
          method === 'eticket_transfer'
            ? 'handover.recipientHelpEticket'
            : 'handover.recipientHelpMail',
        )}
      </p>
      {method === 'eticket_transfer' ? (
        input('account', { autoComplete: 'email', inputMode: 'email', placeholder: '0912345678' })
      ) : (
        <>
          {input('name', { autoComplete: 'name' })}
          {input('postalCode', {
            autoComplete: 'postal-code',
            inputMode: 'numeric',
            maxLength: '8',
          })}
          {input('address', { autoComplete: 'street-address' })}
        </>
      )}
      {error && (
        <p className="notice error" role="alert" id="recipient-error">
          {t(`handover.badField.${error}`)}
        </p>
      )}
    </fieldset>
  );
}

/** The recipient as its seller reads it. */
export function RecipientView({ recipient }: { recipient: HandoverRecipient }) {
  const { t } = useTranslation();
  return (
    <div className="recipient-view">
      <h3 className="h-small">{t('handover.sendTo')}</h3>
      {recipient.kind === 'address' ? (
        <address className="user-text">
          {recipient.name}
          <br />
          {recipient.postalCode} {recipient.address}
        </address>
      ) : (
        <p>
          {t(`handover.kind.${recipient.kind}`)}:{' '}
          <strong className="user-text">
            {recipient.kind === 'phone' ? recipient.phone : recipient.email}
          </strong>
        </p>
      )}
      <p className="muted small">{t('handover.sendToPrivacy')}</p>
    </div>
  );
}
