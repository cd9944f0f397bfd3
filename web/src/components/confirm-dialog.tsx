// A modal confirmation for the actions that move money and cannot be undone (issue 21 item 3):
// it says what happens and for how much, and can require a reason, which the caller records on
// the order's timeline. Keyboard: focus starts inside (on the reason, else on "back"), Tab stays
// inside, Escape closes, and focus returns to the button that opened it.
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../lib/format.ts';
import { ErrorNotice } from './error-notice.tsx';

export interface ConfirmDialogProps {
  title: string;
  /** What happens, in plain words. */
  consequence: string;
  /** The money that moves, shown on its own line. */
  amount?: number;
  amountLabel?: string;
  confirmLabel: string;
  /** Ask for a reason: required (the confirm button waits for it) or optional. */
  reason?: 'required' | 'optional';
  reasonLabel?: string;
  busy?: boolean;
  error?: unknown;
  onConfirm: (reason: string | undefined) => void;
  onClose: () => void;
}

const FOCUSABLE =
  'button:not([disabled]), textarea, input, [href], [tabindex]:not([tabindex="-1"])';

export function ConfirmDialog(props: ConfirmDialogProps) {
  const { t } = useTranslation();
  const id = useId();
  const box = useRef<HTMLDivElement>(null);
  const [text, setText] = useState('');
  const { onClose } = props;

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const first =
      box.current?.querySelector<HTMLElement>('textarea') ??
      box.current?.querySelector<HTMLElement>('[data-autofocus]');
    first?.focus();
    return () => {
      if (opener && opener.isConnected) opener.focus();
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose();
      return;
    }
    if (e.key !== 'Tab' || !box.current) return;
    const items = [...box.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    if (items.length === 0) return;
    const first = items[0]!;
    const last = items[items.length - 1]!;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  const missing = props.reason === 'required' && !text.trim();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (missing || props.busy) return;
    props.onConfirm(text.trim() || undefined);
  };

  return (
    <div className="dialog-backdrop">
      <div
        ref={box}
        className="dialog card"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-body`}
        onKeyDown={onKeyDown}
      >
        <h2 id={`${id}-title`}>{props.title}</h2>
        <form className="form" onSubmit={submit}>
          <div id={`${id}-body`}>
            <p>{props.consequence}</p>
            {props.amount !== undefined && (
              <p className="dialog-amount">
                {props.amountLabel ?? t('confirm.amount')}{' '}
                <strong className="price">{formatMoney(props.amount)}</strong>
              </p>
            )}
          </div>
          {props.reason && (
            <label className="field">
              <span>
                {props.reasonLabel ?? t('confirm.reason')}
                {props.reason === 'optional' && ` ${t('confirm.optional')}`}
              </span>
              <textarea
                rows={3}
                maxLength={500}
                value={text}
                required={props.reason === 'required'}
                aria-required={props.reason === 'required'}
                onChange={(e) => setText(e.target.value)}
              />
            </label>
          )}
          {props.error ? <ErrorNotice error={props.error} /> : null}
          <div className="actions-row">
            <button type="submit" className="button accent" disabled={missing || props.busy}>
              {props.busy ? t('common.loading') : props.confirmLabel}
            </button>
            <button type="button" className="button ghost" data-autofocus onClick={onClose}>
              {t('confirm.back')}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
