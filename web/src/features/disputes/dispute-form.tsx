// The buyer's dispute (issue 18 item 6): a reason from the list ("other" needs words), what went
// wrong in the buyer's words, and up to three photos as evidence. Sent as multipart; the photos
// are private to the buyer, the seller and admins.
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DISPUTE_REASONS, MAX_DISPUTE_PHOTOS } from '../../../../shared/contracts/disputes.ts';
import type { DisputeReason } from '../../api/types.ts';

/** What stops the dispute from being sent, or null. */
export function disputeProblem(
  code: DisputeReason | null,
  text: string,
  photos: readonly File[],
): 'pickReason' | 'describeOther' | 'tooManyPhotos' | null {
  if (!code) return 'pickReason';
  if (code === 'other' && !text.trim()) return 'describeOther';
  if (photos.length > MAX_DISPUTE_PHOTOS) return 'tooManyPhotos';
  return null;
}

/** The multipart body of POST /api/orders/:id/dispute. */
export function disputeFormData(code: DisputeReason, text: string, photos: readonly File[]) {
  const form = new FormData();
  form.append('reasonCode', code);
  if (text.trim()) form.append('reason', text.trim());
  for (const photo of photos) form.append('images', photo, photo.name);
  return form;
}

export function DisputeForm({
  busy,
  onSubmit,
  onCancel,
}: {
  busy: boolean;
  onSubmit: (form: FormData) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [code, setCode] = useState<DisputeReason | null>(null);
  const [text, setText] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const problem = disputeProblem(code, text, photos);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (code && !problem) onSubmit(disputeFormData(code, text, photos));
  };
  return (
    <form className="form inline-form dispute-form" onSubmit={submit}>
      <fieldset>
        <legend>{t('dispute.reasonLegend')}</legend>
        {DISPUTE_REASONS.map((r) => (
          <label key={r} className="radio">
            <input
              type="radio"
              name={`${id}-reason`}
              value={r}
              checked={code === r}
              onChange={() => setCode(r)}
            />
            {t(`dispute.reason.${r}`)}
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>
          {t('dispute.details')}
          {code !== 'other' && ` ${t('confirm.optional')}`}
        </span>
        <textarea
          rows={3}
          value={text}
          maxLength={1000}
          required={code === 'other'}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      <label className="field">
        <span>{t('dispute.photos', { count: MAX_DISPUTE_PHOTOS })}</span>
        <input
          type="file"
          accept="image/jpeg,image/png,image/webp,image/avif"
          multiple
          onChange={(e) => setPhotos([...(e.target.files ?? [])])}
        />
        <small className="muted">{t('dispute.photosPrivate')}</small>
      </label>
      {problem === 'tooManyPhotos' && (
        <p className="notice error small" role="alert">
          {t('dispute.tooManyPhotos', { count: MAX_DISPUTE_PHOTOS })}
        </p>
      )}
      <div className="actions-row">
        <button type="submit" className="button small" disabled={busy || problem !== null}>
          {t('orders.dispute')}
        </button>
        <button type="button" className="button ghost small" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
