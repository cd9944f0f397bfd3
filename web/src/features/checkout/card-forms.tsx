import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatCardNumber, simulatorPrime } from '../../lib/format.ts';
import type { Cardholder } from './orders-api.ts';
import { getPrime, loadTapPay, type TPDirectApi } from './tappay.ts';

export interface CardFormProps {
  busy: boolean;
  defaults: Partial<Cardholder>;
  onPay: (prime: string, cardholder: Cardholder) => void;
}

function CardholderFields({
  value,
  onChange,
}: {
  value: Cardholder;
  onChange: (v: Cardholder) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <label className="field">
        <span>{t('checkout.name')}</span>
        <input
          name="cc-name"
          autoComplete="cc-name"
          required
          value={value.name}
          onChange={(e) => onChange({ ...value, name: e.target.value })}
        />
      </label>
      <div className="field-row">
        <label className="field">
          <span>{t('checkout.email')}</span>
          <input
            type="email"
            name="email"
            autoComplete="email"
            required
            value={value.email}
            onChange={(e) => onChange({ ...value, email: e.target.value })}
          />
        </label>
        <label className="field">
          <span>{t('checkout.phone')}</span>
          <input
            type="tel"
            name="tel"
            autoComplete="tel"
            required
            placeholder="0912345678"
            value={value.phoneNumber}
            onChange={(e) => onChange({ ...value, phoneNumber: e.target.value })}
          />
        </label>
      </div>
    </>
  );
}

function cardholderValid(c: Cardholder) {
  return (
    c.name.trim() !== '' && /.+@.+\..+/.test(c.email) && /^\+?\d[\d\s-]{6,}$/.test(c.phoneNumber)
  );
}

/** The payment simulator's card form: test card numbers become the simulator's primes. */
export function SimulatedCardForm({ busy, defaults, onPay }: CardFormProps) {
  const { t } = useTranslation();
  const [card, setCard] = useState('');
  const [expiry, setExpiry] = useState('');
  const [cvc, setCvc] = useState('');
  const [holder, setHolder] = useState<Cardholder>({
    name: defaults.name ?? '',
    email: defaults.email ?? '',
    phoneNumber: defaults.phoneNumber ?? '',
  });
  const [error, setError] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const prime = simulatorPrime(card);
    if (!prime) return setError(t('checkout.unknownCard'));
    if (!/^(0[1-9]|1[0-2])\s*\/\s*\d{2}$/.test(expiry)) return setError(t('checkout.badExpiry'));
    if (!/^\d{3,4}$/.test(cvc)) return setError(t('checkout.badCvc'));
    if (!cardholderValid(holder)) return setError(t('checkout.badHolder'));
    onPay(prime, { ...holder, phoneNumber: holder.phoneNumber.replace(/[\s-]/g, '') });
  };

  return (
    <form className="form card-form" onSubmit={submit} noValidate aria-labelledby="card-title">
      <h2 id="card-title">{t('checkout.card')}</h2>
      <p className="notice small">{t('checkout.simulatorNote')}</p>
      <label className="field">
        <span>{t('checkout.cardNumber')}</span>
        <input
          name="cardnumber"
          autoComplete="cc-number"
          inputMode="numeric"
          placeholder="4242 4242 4242 4242"
          value={card}
          onChange={(e) => setCard(formatCardNumber(e.target.value))}
          required
        />
      </label>
      <div className="field-row">
        <label className="field">
          <span>{t('checkout.expiry')}</span>
          <input
            name="cc-exp"
            autoComplete="cc-exp"
            inputMode="numeric"
            placeholder="MM/YY"
            maxLength={7}
            value={expiry}
            onChange={(e) => {
              const digits = e.target.value.replace(/\D/g, '').slice(0, 4);
              setExpiry(digits.length > 2 ? `${digits.slice(0, 2)}/${digits.slice(2)}` : digits);
            }}
            required
          />
        </label>
        <label className="field">
          <span>{t('checkout.cvc')}</span>
          <input
            name="cvc"
            autoComplete="cc-csc"
            inputMode="numeric"
            maxLength={4}
            value={cvc}
            onChange={(e) => setCvc(e.target.value.replace(/\D/g, '').slice(0, 4))}
            required
          />
        </label>
      </div>
      <CardholderFields value={holder} onChange={setHolder} />
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
    </form>
  );
}

/** TapPay Fields: number, expiry and CVC live in TapPay's iframes; we only get a prime. */
export function TapPayCardForm({
  busy,
  defaults,
  onPay,
  config,
}: CardFormProps & {
  config: { appId: number | string; appKey: string; env: 'sandbox' | 'production' };
}) {
  const { t } = useTranslation();
  const tp = useRef<TPDirectApi | null>(null);
  const [ready, setReady] = useState(false);
  const [canGetPrime, setCanGetPrime] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [holder, setHolder] = useState<Cardholder>({
    name: defaults.name ?? '',
    email: defaults.email ?? '',
    phoneNumber: defaults.phoneNumber ?? '',
  });

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
      <CardholderFields value={holder} onChange={setHolder} />
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button accent big" disabled={busy || !ready}>
        {busy ? t('checkout.paying') : t('checkout.pay')}
      </button>
      <p className="muted small">{t('checkout.tappayNote')}</p>
    </form>
  );
}
