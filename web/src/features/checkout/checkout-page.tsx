// Checkout: the hold countdown, the card form (simulator or TapPay Fields) and the wallets the
// merchant offers and this browser supports, 3-D Secure and the wallets' pages, and clear success,
// decline and expiry states. Coming back from 3-D Secure or a wallet, the page polls the order.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { isApiError } from '../../api/client.ts';
import type { Order } from '../../api/types.ts';
import NotFoundPage from '../../app/not-found-page.tsx';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { seatText } from '../../components/listing-row.tsx';
import { PageSkeleton } from '../../components/skeleton.tsx';
import { formatCountdown, formatGameTime, formatMoney } from '../../lib/format.ts';
import { useLocale, useNow, useTitle } from '../../lib/hooks.ts';
import { localName, matchTitle } from '../../lib/names.ts';
import { useMe } from '../auth/session.ts';
import { checkRecipient, EMPTY_RECIPIENT, type RecipientCheck } from '../handover/recipient.ts';
import { RecipientFields } from '../handover/recipient-fields.tsx';
import { forgetSessionDrafts, useSessionDraft } from '../../lib/session-draft.ts';
import type { HandoverRecipient } from '../../api/types.ts';
import { SimulatedCardForm, TapPayCardForm } from './card-forms.tsx';
import type { Wallet } from './wallets.ts';

// Only for a merchant with wallets: its code stays out of the checkout page's own chunk.
const WalletButtons = lazy(() =>
  import('./wallet-buttons.tsx').then((m) => ({ default: m.WalletButtons })),
);
import { checkoutState } from './checkout-state.ts';
import {
  cancelOrder,
  MY_ORDERS_KEY,
  orderQuery,
  payOrder,
  paymentsConfigQuery,
  threeDsFlag,
  checkoutDraftKey,
  type Cardholder,
} from './orders-api.ts';

function OrderSummary({ order }: { order: Order }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const l = order.listing;
  return (
    <aside className="card order-summary" aria-labelledby="summary-title">
      <h2 id="summary-title">{t('checkout.summary')}</h2>
      <p>
        <strong>{matchTitle(l.game, locale)}</strong>
        <br />
        <span className="muted">{formatGameTime(l.game.startsAt, locale)}</span>
      </p>
      <p>
        {localName(l.area, locale)}
        <br />
        <span className="muted">{seatText(l, t)}</span>
      </p>
      <p>
        {formatMoney(l.price)} × {l.quantity}
      </p>
      <p className="total">
        {t('checkout.total')} <strong className="price big">{formatMoney(order.amount)}</strong>
      </p>
      <p className="muted small">{t('listing.noFees')}</p>
      <p className="small">
        <Link to="/guarantee">{t('trust.guaranteeLink')}</Link>
      </p>
    </aside>
  );
}

/** How long to wait for TapPay's notify after coming back from 3-D Secure. */
const POLL_FOR_MS = 90_000;

function readFlag(orderId: string) {
  try {
    return sessionStorage.getItem(threeDsFlag(orderId)) !== null;
  } catch {
    return false;
  }
}

export default function CheckoutPage() {
  const { orderId = '' } = useParams();
  const { t } = useTranslation();
  const qc = useQueryClient();
  const me = useMe();
  useTitle(t('checkout.title'));
  const now = useNow(1000);
  const [returnedFrom3ds] = useState(() => readFlag(orderId));
  const [mountedAt] = useState(() => Date.now());
  const order = useQuery({
    ...orderQuery(orderId),
    // After 3-D Secure the result arrives by TapPay's notify: poll until the order moves on.
    refetchInterval: (q) =>
      returnedFrom3ds &&
      q.state.data?.status === 'pending_payment' &&
      q.state.data.payment?.status !== 'failed' &&
      Date.now() - mountedAt < POLL_FOR_MS
        ? 2000
        : false,
  });
  // The pay button goes away with the card form once paid: keyboard focus lands on the result
  // instead of the page's start (issue 21 item 7).
  const resultTitle = useRef<HTMLHeadingElement>(null);
  const lastStatus = useRef(order.data?.status);
  const config = useQuery(paymentsConfigQuery);
  // Kept in the tab while the buyer is away at a wallet or 3-D Secure (nothing lost on failure).
  const [recipient, setRecipient] = useSessionDraft(
    checkoutDraftKey(orderId, 'recipient'),
    () => EMPTY_RECIPIENT,
  );
  const [recipientError, setRecipientError] = useState<
    (RecipientCheck & { ok: false })['error'] | null
  >(null);
  const pay = useMutation({
    mutationFn: ({
      prime,
      cardholder,
      method,
      recipient: to,
    }: {
      prime: string;
      cardholder: Cardholder;
      method?: 'card' | Wallet;
      recipient?: HandoverRecipient;
    }) => payOrder(orderId, prime, cardholder, method, to),
    onSuccess: (result) => {
      if (result.paymentUrl) {
        try {
          sessionStorage.setItem(threeDsFlag(orderId), '1');
        } catch {
          // ignore
        }
        window.location.assign(result.paymentUrl);
        return;
      }
      qc.setQueryData(orderQuery(orderId).queryKey, result.order);
      void qc.invalidateQueries({ queryKey: MY_ORDERS_KEY });
    },
    onError: (err) => {
      if (isApiError(err, 'INVALID_STATE')) void order.refetch();
    },
  });
  const cancel = useMutation({
    mutationFn: () => cancelOrder(orderId),
    onSuccess: (o) => qc.setQueryData(orderQuery(orderId).queryKey, o),
  });

  const status = order.data?.status;
  useEffect(() => {
    if (lastStatus.current === 'pending_payment' && status === 'paid') resultTitle.current?.focus();
    lastStatus.current = status;
  }, [status]);
  useEffect(() => {
    if (status && status !== 'pending_payment') {
      try {
        sessionStorage.removeItem(threeDsFlag(orderId));
      } catch {
        // ignore
      }
      forgetSessionDrafts(checkoutDraftKey(orderId));
    }
  }, [status, orderId]);

  if (order.isPending) return <PageSkeleton />;
  if (order.isError) {
    if (isApiError(order.error, 'NOT_FOUND') || isApiError(order.error, 'VALIDATION_FAILED'))
      return <NotFoundPage />;
    return (
      <div className="page">
        <ErrorNotice error={order.error} />
      </div>
    );
  }
  const o = order.data;
  const { view, secondsLeft: left } = checkoutState(o, now);
  const cancelButton = (
    <>
      <p>
        <button
          type="button"
          className="button ghost small"
          disabled={cancel.isPending}
          onClick={() => cancel.mutate()}
        >
          {t('checkout.cancel')}
        </button>
      </p>
      {cancel.isError && <ErrorNotice error={cancel.error} />}
    </>
  );

  // What the seller needs is asked before the card is charged (issue 18 item 2).
  const onPay = (prime: string, cardholder: Cardholder, method: 'card' | Wallet = 'card') => {
    const check = checkRecipient(o.listing.deliveryMethod, recipient);
    if (!check.ok) {
      setRecipientError(check.error);
      document.getElementById(`recipient-${check.error}`)?.focus();
      return;
    }
    setRecipientError(null);
    pay.mutate({ prime, cardholder, method, recipient: check.recipient });
  };

  let body: ReactNode;
  if (view === 'pay') {
    // Back from 3-D Secure or a wallet: waiting for its result, unless it already failed (declined
    // at the bank, or the buyer cancelled at the wallet) and the buyer may choose again.
    const returnedFailed = returnedFrom3ds && !pay.isSuccess && o.payment?.status === 'failed';
    const waiting3ds = (returnedFrom3ds || pay.isSuccess) && !returnedFailed;
    const failedWallet = o.payment?.method && o.payment.method !== 'card' ? o.payment.method : null;
    const walletName = (w: string) => t(`checkout.wallet.${w}`);
    const declinedMethod = pay.isError ? (pay.variables?.method ?? 'card') : 'card';
    const wallets =
      config.data && config.data.wallets.length > 0
        ? (holder: () => Cardholder | null) => (
            <Suspense fallback={null}>
              <WalletButtons
                config={config.data}
                amount={o.amount}
                busy={pay.isPending}
                holder={holder}
                onPay={onPay}
              />
            </Suspense>
          )
        : undefined;
    body = (
      <>
        <div className={`countdown ${left < 60 ? 'urgent' : ''}`} role="timer" aria-live="off">
          <span>{t('checkout.holdFor')}</span>
          <strong>{formatCountdown(left)}</strong>
        </div>
        {waiting3ds && (
          <p className="notice" role="status">
            {t('checkout.confirming')}
          </p>
        )}
        {returnedFailed && (
          <div className="notice error" role="alert">
            {failedWallet ? (
              <p>{t('checkout.walletFailed', { wallet: walletName(failedWallet) })}</p>
            ) : (
              <>
                <strong>{t('checkout.declinedTitle')}</strong>
                <p>{t('checkout.declinedBody')}</p>
              </>
            )}
          </div>
        )}
        {pay.isError &&
          (isApiError(pay.error, 'PAYMENT_DECLINED') ? (
            <div className="notice error" role="alert">
              {declinedMethod === 'card' ? (
                <>
                  <strong>{t('checkout.declinedTitle')}</strong>
                  <p>{t('checkout.declinedBody')}</p>
                </>
              ) : (
                <p>{t('checkout.walletDeclined', { wallet: walletName(declinedMethod) })}</p>
              )}
            </div>
          ) : (
            <ErrorNotice error={pay.error} />
          ))}
        {config.isError && <ErrorNotice error={config.error} />}
        <RecipientFields
          method={o.listing.deliveryMethod}
          draft={recipient}
          onChange={setRecipient}
          error={recipientError}
        />
        {config.data?.provider === 'simulator' && (
          <SimulatedCardForm
            busy={pay.isPending}
            defaults={{ name: me.data?.name, email: me.data?.email }}
            draftKey={checkoutDraftKey(orderId, 'holder')}
            onPay={(prime, cardholder) => onPay(prime, cardholder)}
            extra={wallets}
          />
        )}
        {config.data?.provider === 'tappay' && (
          <TapPayCardForm
            busy={pay.isPending}
            defaults={{ name: me.data?.name, email: me.data?.email }}
            draftKey={checkoutDraftKey(orderId, 'holder')}
            config={config.data}
            onPay={(prime, cardholder) => onPay(prime, cardholder)}
            extra={wallets}
          />
        )}
        {cancelButton}
      </>
    );
  } else if (view === 'unpayable') {
    body = (
      <div className="state-panel" role="status">
        <h2>{t('checkout.unpayableTitle')}</h2>
        <p>{t('checkout.unpayableBody')}</p>
        {o.actions.includes('cancel') && cancelButton}
        <p>
          <Link to={`/games/${o.listing.game.id}`} className="button ghost">
            {t('checkout.backToGame')}
          </Link>
        </p>
      </div>
    );
  } else if (view === 'expired') {
    body = (
      <div className="state-panel expired" role="status">
        <h2>{t('checkout.expiredTitle')}</h2>
        <p>{t('checkout.expiredBody')}</p>
        <p className="actions-row">
          <Link to={`/listings/${o.listing.id}`} className="button">
            {t('checkout.tryAgain')}
          </Link>
          <Link to={`/games/${o.listing.game.id}`} className="button ghost">
            {t('checkout.backToGame')}
          </Link>
        </p>
      </div>
    );
  } else if (view === 'cancelled') {
    body = (
      <div className="state-panel" role="status">
        <h2>{t('checkout.cancelledTitle')}</h2>
        <p>
          <Link to="/" className="button">
            {t('notFound.home')}
          </Link>
        </p>
      </div>
    );
  } else {
    body = (
      <div className="state-panel success" role="status">
        <h2 ref={resultTitle} tabIndex={-1}>
          ✓ {t('checkout.successTitle')}
        </h2>
        <p>{t('checkout.successBody')}</p>
        <p className="actions-row">
          <Link to={`/me/orders/${o.id}`} className="button">
            {t('checkout.viewOrder')}
          </Link>
        </p>
      </div>
    );
  }

  return (
    <div className="page checkout-page">
      <h1>{t('checkout.title')}</h1>
      <div className="checkout-layout">
        {/* What is being bought comes first (on a phone, above the card form); on a wide screen
            it sits in the right-hand column. */}
        <OrderSummary order={o} />
        <div className="checkout-main">{body}</div>
      </div>
    </div>
  );
}
