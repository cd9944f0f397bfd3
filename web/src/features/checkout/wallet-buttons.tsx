// The wallet buttons of the checkout form: only the merchant's wallets (TAPPAY_WALLETS) that this
// browser can use. LINE Pay and JKO Pay hand a prime to the server, which answers the wallet's
// page to go to; Apple Pay and Google Pay open their sheet first. With the simulator, the sheet is
// a dialog of ours (pay, card declined, cancel) standing in for the device's.
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PaymentsConfig } from '../../api/types.ts';
import { formatMoney } from '../../lib/format.ts';
import type { Cardholder } from './orders-api.ts';
import { loadTapPay, type TPDirectApi } from './tappay.ts';
import {
  detectBrowser,
  REDIRECT_WALLETS,
  setupTapPayWallets,
  simulatorWalletPrime,
  tapPayWalletPrime,
  usableWallets,
  WALLET_ORDER,
  WalletCancelled,
  type TPDirectWallets,
  type Wallet,
} from './wallets.ts';

export interface WalletButtonsProps {
  config: PaymentsConfig;
  amount: number;
  busy: boolean;
  /** The contact details of the form above, checked; null (and the form says why) if incomplete. */
  holder: () => Cardholder | null;
  onPay: (prime: string, cardholder: Cardholder, method: Wallet) => void;
}

/** The simulator's stand-in for the Apple Pay / Google Pay sheet. */
function SimulatedSheet({
  wallet,
  amount,
  onDone,
}: {
  wallet: Wallet;
  amount: number;
  onDone: (outcome: 'approve' | 'decline' | 'cancel') => void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const title = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal?.();
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog card wallet-sheet"
      aria-labelledby={title}
      onCancel={(e) => {
        e.preventDefault();
        onDone('cancel');
      }}
    >
      <h2 id={title}>{t('checkout.sheetTitle', { wallet: t(`checkout.wallet.${wallet}`) })}</h2>
      <p className="dialog-amount">
        Pitch-A-Seat <strong className="price">{formatMoney(amount)}</strong>
      </p>
      <p className="muted small">{t('checkout.sheetNote')}</p>
      <p className="actions-row">
        <button type="button" className="button accent" onClick={() => onDone('approve')}>
          {t('checkout.sheetPay')}
        </button>
        <button type="button" className="button" onClick={() => onDone('decline')}>
          {t('checkout.sheetDecline')}
        </button>
        <button type="button" className="button ghost" onClick={() => onDone('cancel')}>
          {t('checkout.sheetCancel')}
        </button>
      </p>
    </dialog>
  );
}

export function WalletButtons({ config, amount, busy, holder, onPay }: WalletButtonsProps) {
  const { t } = useTranslation();
  const headingId = useId();
  const simulated = config.provider === 'simulator';
  // Simulator: what the browser can do decides. TapPay: its SDK decides, once set up.
  const [usable, setUsable] = useState<Wallet[]>(() =>
    simulated ? usableWallets(config.wallets, detectBrowser()) : [],
  );
  const tp = useRef<(TPDirectApi & TPDirectWallets) | null>(null);
  const [sheet, setSheet] = useState<{ wallet: Wallet; cardholder: Cardholder } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    if (simulated || config.wallets.length === 0) return;
    let cancelled = false;
    loadTapPay()
      .then(async (api) => {
        api.setupSDK(Number(config.appId), config.appKey, config.env);
        const wallets = api as TPDirectApi & TPDirectWallets;
        const ready = await setupTapPayWallets(wallets, config, amount, t('checkout.summary'));
        if (cancelled) return;
        tp.current = wallets;
        setUsable(WALLET_ORDER.filter((w) => ready.has(w)));
      })
      .catch(() => {
        // Without TapPay's SDK there are no wallets; the card form says the SDK failed.
      });
    return () => {
      cancelled = true;
    };
  }, [simulated, config, amount, t]);

  if (usable.length === 0) return null;

  const start = (wallet: Wallet) => {
    setNotice(null);
    const cardholder = holder();
    if (!cardholder) return;
    if (simulated) {
      if (REDIRECT_WALLETS.has(wallet))
        return onPay(simulatorWalletPrime(wallet, 'approve'), cardholder, wallet);
      return setSheet({ wallet, cardholder });
    }
    if (!tp.current) return;
    tapPayWalletPrime(tp.current, wallet).then(
      (prime) => onPay(prime, cardholder, wallet),
      (err: unknown) =>
        setNotice(
          err instanceof WalletCancelled
            ? t('checkout.walletCancelled', { wallet: t(`checkout.wallet.${wallet}`) })
            : t('checkout.sdkFailed'),
        ),
    );
  };

  return (
    <section className="wallets" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('checkout.walletsTitle')}</h3>
      <p className="muted small">{t('checkout.walletsNote')}</p>
      <div className="wallet-buttons">
        {usable.map((w) => (
          <button
            key={w}
            type="button"
            className={`button wallet-button wallet-${w}`}
            disabled={busy}
            // The brand name shows; the accessible name says what the button does.
            aria-label={t('checkout.payWith', { wallet: t(`checkout.wallet.${w}`) })}
            onClick={() => start(w)}
          >
            {t(`checkout.wallet.${w}`)}
          </button>
        ))}
      </div>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {sheet && (
        <SimulatedSheet
          wallet={sheet.wallet}
          amount={amount}
          onDone={(outcome) => {
            const { wallet, cardholder } = sheet;
            setSheet(null);
            if (outcome === 'cancel')
              return setNotice(
                t('checkout.walletCancelled', { wallet: t(`checkout.wallet.${wallet}`) }),
              );
            onPay(simulatorWalletPrime(wallet, outcome), cardholder, wallet);
          }}
        />
      )}
    </section>
  );
}
