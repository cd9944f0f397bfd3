// Proof of the handover (issue 18 item 4). The seller's "mark sent" asks for what the delivery
// method needs: a screenshot of the e-ticket transfer (with a preview), a mail tracking number, or
// in person the buyer's code (which completes the order at once). The order page then shows the
// proof to both sides (the photo through the signed-in route, never a public URL) and, to the
// buyer of an in-person order, the code to show the seller.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.ts';
import type { DeliveryMethod, Order } from '../../api/types.ts';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useLocale } from '../../lib/hooks.ts';
import { codeOk, deliverBody, MAX_PROOF_BYTES, PROOF_ACCEPT, trackingNumberOk } from './proof.ts';

export function DeliverProofForm({
  orderId,
  method,
  busy,
  error,
  onSubmit,
  onCancel,
}: {
  orderId: string;
  method: DeliveryMethod;
  busy: boolean;
  error: unknown;
  onSubmit: (body: FormData | Record<string, string>) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const [photo, setPhoto] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [trackingNumber, setTrackingNumber] = useState('');
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(
    () => () => {
      if (preview) URL.revokeObjectURL(preview);
    },
    [preview],
  );
  const id = (name: string) => `proof-${name}-${orderId}`;

  const pick = (file: File | undefined) => {
    setProblem(null);
    if (!file) return;
    if (file.size > MAX_PROOF_BYTES) {
      setProblem('handover.proof.photoTooBig');
      return;
    }
    setPhoto(file);
    setPreview(URL.createObjectURL(file));
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (method === 'eticket_transfer' && !photo) return setProblem('handover.proof.photoMissing');
    if (method === 'paper_mail' && !trackingNumberOk(trackingNumber))
      return setProblem('handover.proof.trackingBad');
    if (method === 'in_person' && !codeOk(code)) return setProblem('handover.proof.codeBad');
    setProblem(null);
    onSubmit(deliverBody(method, { note, photo, trackingNumber, code }));
  };

  const problemId = id('problem');
  const invalid = problem ? { 'aria-invalid': true, 'aria-describedby': problemId } : {};
  return (
    <form className="form inline-form proof-form" onSubmit={submit} noValidate>
      <p className="small">{t(`handover.proof.ask.${method}`)}</p>
      {method === 'eticket_transfer' && (
        <div className="field">
          <label htmlFor={id('photo')}>{t('handover.proof.photo')}</label>
          <input
            id={id('photo')}
            type="file"
            accept={PROOF_ACCEPT}
            required
            {...invalid}
            onChange={(e) => pick(e.target.files?.[0])}
          />
          {preview && (
            <img
              className="proof-preview"
              src={preview}
              alt={t('handover.proof.previewAlt')}
              width={240}
              height={180}
            />
          )}
        </div>
      )}
      {method === 'paper_mail' && (
        <div className="field">
          <label htmlFor={id('tracking')}>{t('handover.proof.tracking')}</label>
          <input
            id={id('tracking')}
            type="text"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={40}
            required
            value={trackingNumber}
            {...invalid}
            onChange={(e) => setTrackingNumber(e.target.value)}
          />
          <span className="small muted">{t('handover.proof.trackingHelp')}</span>
        </div>
      )}
      {method === 'in_person' && (
        <div className="field">
          <label htmlFor={id('code')}>{t('handover.proof.code')}</label>
          <input
            id={id('code')}
            type="text"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9 ]*"
            maxLength={7}
            required
            value={code}
            {...invalid}
            onChange={(e) => setCode(e.target.value)}
          />
          <span className="small muted">{t('handover.proof.codeHelp')}</span>
        </div>
      )}
      <div className="field">
        <label htmlFor={id('note')}>{t('handover.proof.note')}</label>
        <textarea
          id={id('note')}
          rows={2}
          maxLength={500}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </div>
      {problem && (
        <p id={problemId} className="field-error" role="alert">
          {t(problem)}
        </p>
      )}
      {isApiError(error, 'HANDOVER_CODE_INVALID') ? (
        <p className="notice error small" role="alert">
          {t('handover.proof.codeWrong', {
            count: Number((error.details as { attemptsLeft?: number })?.attemptsLeft ?? 0),
          })}
        </p>
      ) : error ? (
        <ErrorNotice error={error} />
      ) : null}
      <div className="actions-row">
        <button type="submit" className="button small" disabled={busy}>
          {method === 'in_person' ? t('handover.proof.complete') : t('orders.markSent')}
        </button>
        <button type="button" className="button ghost small" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/** What the seller gave as proof, and the buyer's in-person code (to the buyer, while paid). */
export function ProofPanel({ order }: { order: Order }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [photoFailed, setPhotoFailed] = useState(false);
  const proof = order.proof;
  return (
    <>
      {order.handoverCode && (
        <section className="handover-code" aria-labelledby={`code-${order.id}`}>
          <h3 id={`code-${order.id}`}>{t('handover.proof.yourCode')}</h3>
          <p className="code-digits" translate="no">
            {order.handoverCode}
          </p>
          <p className="small">{t('handover.proof.yourCodeHelp')}</p>
        </section>
      )}
      {proof && (
        <section className="proof" aria-labelledby={`proof-${order.id}`}>
          <h3 id={`proof-${order.id}`}>{t('handover.proof.title')}</h3>
          {proof.kind === 'photo' &&
            (photoFailed ? (
              <p className="small muted">{t('handover.proof.photoUnavailable')}</p>
            ) : (
              <a href={proof.photoUrl} target="_blank" rel="noopener">
                <img
                  className="proof-photo"
                  src={proof.photoUrl}
                  alt={t('handover.proof.photoAlt')}
                  loading="lazy"
                  onError={() => setPhotoFailed(true)}
                />
              </a>
            ))}
          {proof.kind === 'tracking' && (
            <p>
              {t('handover.proof.tracking')}:{' '}
              <strong className="tracking-number" translate="no">
                {proof.trackingNumber}
              </strong>
            </p>
          )}
          {proof.kind === 'code' && <p>{t('handover.proof.codeUsed')}</p>}
          <p className="small muted">
            <time dateTime={proof.at}>{formatDateTime(proof.at, locale)}</time>
          </p>
        </section>
      )}
    </>
  );
}
