import {
  useEffect,
  useRef,
  useState,
  type FormEvent,
  type InputHTMLAttributes,
  type ReactNode,
} from 'react';
import { useTranslation } from 'react-i18next';
import { formatCardNumber, simulatorPrime } from '../../lib/format.ts';
import { useSessionDraft } from '../../lib/session-draft.ts';
import type { Cardholder } from './orders-api.ts';
import { getPrime, loadTapPay, type TPDirectApi } from './tappay.ts';

export interface CardFormProps {
  busy: boolean;
  defaults: Partial<Cardholder>;
  /** Where the contact details are kept while the buyer is away at a wallet or 3-D Secure. */
  draftKey: string;
  onPay: (prime: string, cardholder: Cardholder) => void;
  /**
   * What follows the card (the wallet buttons), given the form's contact details, checked: null
   * (and the form says what is missing) while they are incomplete.
   */
  extra?: (holder: () => Cardholder | null) => ReactNode;
}

/** One labelled input of a card form: `key` is its label's translation key, `clean` turns what
 *  was typed into the value kept (digits only, grouped…). Every field is required. */
interface FieldSpec<Id extends string> {
  id: Id;
  key: string;
  input: Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'required'>;
  clean?: (typed: string) => string;
}

/** Rows of fields: a row of one spans the form, a row of two shares a `.field-row`. */
type FieldRows<Id extends string> = [FieldSpec<Id>] | [FieldSpec<Id>, FieldSpec<Id>];

const digits = (max: number) => (typed: string) => typed.replace(/\D/g, '').slice(0, max);

/** The simulator's card fields (TapPay draws its own in iframes). */
const CARD_FIELDS: FieldRows<'number' | 'expiry' | 'cvc'>[] = [
  [
    {
      id: 'number',
      key: 'checkout.cardNumber',
      input: {
        name: 'cardnumber',
        autoComplete: 'cc-number',
        inputMode: 'numeric',
        placeholder: '4242 4242 4242 4242',
      },
      clean: formatCardNumber,
    },
  ],
  [
    {
      id: 'expiry',
      key: 'checkout.expiry',
      input: {
        name: 'cc-exp',
        autoComplete: 'cc-exp',
        inputMode: 'numeric',
        placeholder: 'MM/YY',
        maxLength: 7,
      },
      clean: (typed) => {
        const d = digits(4)(typed);
        return d.length > 2 ? `${d.slice(0, 2)}/${d.slice(2)}` : d;
      },
    },
    {
      id: 'cvc',
      key: 'checkout.cvc',
      input: { name: 'cvc', autoComplete: 'cc-csc', inputMode: 'numeric', maxLength: 4 },
      clean: digits(4),
    },
  ],
];

const CARDHOLDER_FIELDS: FieldRows<keyof Cardholder>[] = [
  [{ id: 'name', key: 'checkout.name', input: { name: 'cc-name', autoComplete: 'cc-name' } }],
  [
    {
      id: 'email',
      key: 'checkout.email',
      input: { type: 'email', name: 'email', autoComplete: 'email' },
    },
    {
      id: 'phoneNumber',
      key: 'checkout.phone',
      input: { type: 'tel', name: 'tel', autoComplete: 'tel', placeholder: '0912345678' },
    },
  ],
];

function Fields<Id extends string>({
  rows,
  values,
  onChange,
}: {
  rows: FieldRows<Id>[];
  values: Record<Id, string>;
  onChange: (values: Record<Id, string>) => void;
}) {
  const { t } = useTranslation();
  const field = (f: FieldSpec<Id>) => (
    <label className="field" key={f.id}>
      <span>{t(f.key)}</span>
      <input
        {...f.input}
        required
        value={values[f.id]}
        onChange={(e) =>
          onChange({ ...values, [f.id]: f.clean ? f.clean(e.target.value) : e.target.value })
        }
      />
    </label>
  );
  return rows.map((row) =>
    row.length === 1 ? (
      field(row[0])
    ) : (
      <div className="field-row" key={row[0].id}>
        {row.map(field)}
      </div>
    ),
  );
}

const cardholderFrom = (defaults: Partial<Cardholder>): Cardholder => ({
  name: defaults.name ?? '',
  email: defaults.email ?? '',
  phoneNumber: defaults.phoneNumber ?? '',
});

function cardholderValid(c: Cardholder) {
  return (
    c.name.trim() !== '' && /.+@.+\..+/.test(c.email) && /^\+?\d[\d\s-]{6,}$/.test(c.phoneNumber)
  );
}

/** The contact details as TapPay takes them, or null after telling the buyer what is missing. */
function useCheckedHolder(holder: Cardholder, setError: (e: string | null) => void) {
  const { t } = useTranslation();
  return () => {
    setError(null);
    if (!cardholderValid(holder)) {
      setError(t('checkout.badHolder'));
      return null;
    }
    return { ...holder, phoneNumber: holder.phoneNumber.replace(/[\s-]/g, '') };
  };
}

/** The payment simulator's card form: test card numbers become the simulator's primes. */
export function SimulatedCardForm({ busy, defaults, draftKey, onPay, extra }: CardFormProps) {
  const { t } = useTranslation();
  const [card, setCard] = useState({ number: '', expiry: '', cvc: '' });
  const [holder, setHolder] = useSessionDraft(draftKey, () => cardholderFrom(defaults));
  const [error, setError] = useState<string | null>(null);
  const checkedHolder = useCheckedHolder(holder, setError);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    // An empty or half-typed form asks for the card; only a full number that is not a test card
    // is told about the test cards (issue 21 item 6).
    if (card.number.replace(/\D/g, '').length < 13 || !card.expiry.trim() || !card.cvc.trim())
      return setError(t('checkout.cardIncomplete'));
    const prime = simulatorPrime(card.number);
    if (!prime) return setError(t('checkout.unknownCard'));
    if (!/^(0[1-9]|1[0-2])\s*\/\s*\d{2}$/.test(card.expiry))
      return setError(t('checkout.badExpiry'));
    if (!/^\d{3,4}$/.test(card.cvc)) return setError(t('checkout.badCvc'));
    if (!cardholderValid(holder)) return setError(t('checkout.badHolder'));
    onPay(prime, { ...holder, phoneNumber: holder.phoneNumber.replace(/[\s-]/g, '') });
  };

  return (
    <form className="form card-form" onSubmit={submit} noValidate aria-labelledby="card-title">
      <h2 id="card-title">{t('checkout.card')}</h2>
      <p className="notice small">{t('checkout.simulatorNote')}</p>
      <Fields rows={CARD_FIELDS} values={card} onChange={setCard} />
      <Fields rows={CARDHOLDER_FIELDS} values={holder} onChange={setHolder} />
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button accent big" disabled={busy}>
        {busy ? t('checkout.paying') : t('checkout.pay')}
      </button>
      <details className="test-cards">
        <summary>{t('checkout.testCards')}</summary>
        <ul>
          <li>4242 4242 4242 4242 — {t('checkout.testApprove')}</li>
          <li>4000 0000 0000 0002 — {t('checkout.testDecline')}</li>
          <li>4000 0000 0000 3220 — {t('checkout.test3ds')}</li>
        </ul>
      </details>
      {extra?.(checkedHolder)}
    </form>
  );
}

/** TapPay Fields: number, expiry and CVC live in TapPay's iframes; we only get a prime. */
export function TapPayCardForm({
  busy,
  defaults,
  draftKey,
  onPay,
  config,
  extra,
}: CardFormProps & {
  config: { appId: number | string; appKey: string; env: 'sandbox' | 'production' };
}) {
  const { t } = useTranslation();
  const tp = useRef<TPDirectApi | null>(null);
  const [ready, setReady] = useState(false);
  const [canGetPrime, setCanGetPrime] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [holder, setHolder] = useSessionDraft(draftKey, () => cardholderFrom(defaults));
  const checkedHolder = useCheckedHolder(holder, setError);

  useEffect(() => {
    let cancelled = false;
    loadTapPay()
      .then((api) => {
        if (cancelled) return;
        api.setupSDK(Number(config.appId), config.appKey, config.env);
        api.card.setup({
          fields: {
            number: { element: '#tp-card-number', placeholder: '**** **** **** ****' },
            expirationDate: { element: '#tp-card-expiry', placeholder: 'MM / YY' },
            ccv: { element: '#tp-card-ccv', placeholder: 'CVC' },
          },
          styles: { input: { 'font-size': '16px' } },
        });
        api.card.onUpdate((u) => setCanGetPrime(u.canGetPrime));
        tp.current = api;
        setReady(true);
      })
      .catch(() => !cancelled && setError(t('checkout.sdkFailed')));
    return () => {
      cancelled = true;
    };
  }, [config.appId, config.appKey, config.env, t]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!tp.current || !canGetPrime) return setError(t('checkout.cardIncomplete'));
    if (!cardholderValid(holder)) return setError(t('checkout.badHolder'));
    try {
      const prime = await getPrime(tp.current);
      onPay(prime, { ...holder, phoneNumber: holder.phoneNumber.replace(/[\s-]/g, '') });
    } catch {
      setError(t('checkout.cardIncomplete'));
    }
  };

  return (
    <form
      className="form card-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby="card-title"
    >
      <h2 id="card-title">{t('checkout.card')}</h2>
      <div className="field">
        <span id="tp-number-label">{t('checkout.cardNumber')}</span>
        <div id="tp-card-number" className="tpfield" aria-labelledby="tp-number-label" />
      </div>
      <div className="field-row">
        <div className="field">
          <span>{t('checkout.expiry')}</span>
          <div id="tp-card-expiry" className="tpfield" />
        </div>
        <div className="field">
          <span>{t('checkout.cvc')}</span>
          <div id="tp-card-ccv" className="tpfield" />
        </div>
      </div>
      <Fields rows={CARDHOLDER_FIELDS} values={holder} onChange={setHolder} />
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button accent big" disabled={busy || !ready}>
        {busy ? t('checkout.paying') : t('checkout.pay')}
      </button>
      <p className="muted small">{t('checkout.tappayNote')}</p>
      {extra?.(checkedHolder)}
    </form>
  );
}
