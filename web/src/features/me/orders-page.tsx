// 我的訂單: orders as buyer and as seller, each with its timeline and the actions its state allows.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, isApiError } from '../../api/client.ts';
import type { Order, OrderSummary } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { seatText } from '../../components/listing-row.tsx';
import { CardSkeleton } from '../../components/skeleton.tsx';
import { formatDateTime, formatGameTime, formatMoney } from '../../lib/format.ts';
import { useLocale, useTitle } from '../../lib/hooks.ts';
import { localName, matchTitle } from '../../lib/names.ts';
import { useMe } from '../auth/session.ts';
import { MY_ORDERS_KEY, myOrdersQuery, orderQuery } from '../checkout/orders-api.ts';
import { DeliverBy, HandoverGuide } from '../handover/handover-panel.tsx';
import { DeliverProofForm, ProofPanel } from '../handover/proof-panel.tsx';
import { RecipientPanel } from '../handover/recipient-panel.tsx';
import { DisputeForm } from '../disputes/dispute-form.tsx';
import { SellerScorecardPanel } from '../users/scorecard.tsx';
import { ConversationPanel } from '../conversations/conversation-panel.tsx';
import { MeNav } from './me-nav.tsx';

type Role = 'buyer' | 'seller';

const post = <T,>(path: string, body?: unknown) => api<T>(path, { method: 'POST', body });

function useOrderAction(orderId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ action, body }: { action: string; body?: unknown }) =>
      post<unknown>(`/api/orders/${encodeURIComponent(orderId)}/${action}`, body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: orderQuery(orderId).queryKey });
      void qc.invalidateQueries({ queryKey: MY_ORDERS_KEY });
    },
  });
}

function StarInput({ value, onChange }: { value: number; onChange: (n: number) => void }) {
  const { t } = useTranslation();
  return (
    <fieldset className="star-input">
      <legend>{t('orders.rating')}</legend>
      {[1, 2, 3, 4, 5].map((n) => (
        <label key={n} className={n <= value ? 'on' : ''}>
          <input
            type="radio"
            name="rating"
            value={n}
            checked={value === n}
            onChange={() => onChange(n)}
            className="visually-hidden"
          />
          <span aria-hidden="true">★</span>
          <span className="visually-hidden">{t('orders.stars', { count: n })}</span>
        </label>
      ))}
    </fieldset>
  );
}

function OrderActions({ order, role }: { order: OrderSummary; role: Role }) {
  const { t } = useTranslation();
  const action = useOrderAction(order.id);
  const [open, setOpen] = useState<'deliver' | 'dispute' | 'review' | null>(null);
  // An irreversible money action waits for the confirmation dialog (issue 21 item 3).
  const [confirming, setConfirming] = useState<'sellerCancel' | 'postponed' | 'confirm' | null>(
    null,
  );
  const [text, setText] = useState('');
  const [rating, setRating] = useState(5);
  const run = (name: string, body?: unknown) =>
    action.mutate({ action: name, body }, { onSuccess: () => setOpen(null) });
  const submitForm = (e: FormEvent) => {
    e.preventDefault();
    if (open === 'review')
      run('review', text.trim() ? { rating, comment: text.trim() } : { rating });
  };
  const openForm = (form: 'deliver' | 'dispute' | 'review') => () => {
    setText('');
    setOpen(form);
  };
  // A rating just sent here (or refused as a repeat) hides the rate button before the refetch.
  const reviewed =
    (action.isSuccess && action.variables?.action === 'review') ||
    isApiError(action.error, 'ALREADY_REVIEWED');
  // One button per action the server lists for this viewer (Order.actions), in its order.
  const buttons: ReactNode[] = order.actions.map((name) => {
    switch (name) {
      case 'pay':
        return (
          <Link key={name} to={`/checkout/${order.id}`} className="button accent small">
            {t('orders.pay')}
          </Link>
        );
      case 'cancel':
        if (order.status === 'pending_payment') {
          // An unpaid hold: no money has moved; cancelling only frees the tickets.
          return (
            <button
              key={name}
              type="button"
              className="button ghost small"
              onClick={() => run('cancel')}
            >
              {t('orders.cancel')}
            </button>
          );
        }
        if (role === 'seller') {
          return (
            <button
              key={name}
              type="button"
              className="button ghost small"
              onClick={() => setConfirming('sellerCancel')}
            >
              {order.status === 'delivered'
                ? t('orders.sellerTicketBack')
                : t('orders.sellerCancel')}
            </button>
          );
        }
        // A paid order's buyer may cancel only for a postponed game, for a full refund.
        return (
          <button
            key={name}
            type="button"
            className="button ghost small"
            onClick={() => setConfirming('postponed')}
          >
            {t('orders.postponedRefund')}
          </button>
        );
      case 'deliver':
        return (
          <button key={name} type="button" className="button small" onClick={openForm('deliver')}>
            {t('orders.markSent')}
          </button>
        );
      case 'confirm':
        return (
          <button
            key={name}
            type="button"
            className="button accent small"
            onClick={() => setConfirming('confirm')}
          >
            {t('orders.confirm')}
          </button>
        );
      case 'dispute':
        return (
          <button
            key={name}
            type="button"
            className="button ghost small"
            onClick={openForm('dispute')}
          >
            {t('orders.dispute')}
          </button>
        );
      case 'review':
        return reviewed ? null : (
          <button key={name} type="button" className="button small" onClick={openForm('review')}>
            {t('orders.rate')}
          </button>
        );
      default:
        // refund and release are an admin's (the admin page settles disputes).
        return null;
    }
  });
  if (buttons.every((b) => b === null) && !action.isError) return null;
  const closeDialog = () => {
    setConfirming(null);
    action.reset();
  };
  const dialog =
    confirming === 'confirm' ? (
      <ConfirmDialog
        title={t('confirm.confirmTitle')}
        consequence={t('confirm.confirmBody')}
        amount={order.amount}
        amountLabel={t('confirm.releaseAmount')}
        confirmLabel={t('orders.confirm')}
        busy={action.isPending}
        error={action.error}
        onClose={closeDialog}
        onConfirm={() =>
          action.mutate({ action: 'confirm' }, { onSuccess: () => setConfirming(null) })
        }
      />
    ) : confirming ? (
      <ConfirmDialog
        title={t(
          confirming === 'sellerCancel' ? 'confirm.sellerCancelTitle' : 'confirm.postponedTitle',
        )}
        consequence={t(
          confirming === 'sellerCancel' ? 'confirm.sellerCancelBody' : 'confirm.postponedBody',
        )}
        amount={order.amount}
        amountLabel={t('confirm.refundAmount')}
        confirmLabel={t(
          confirming === 'sellerCancel' ? 'orders.sellerCancel' : 'orders.postponedRefund',
        )}
        reason="required"
        busy={action.isPending}
        error={action.error}
        onClose={closeDialog}
        onConfirm={(reason) =>
          action.mutate(
            { action: 'cancel', body: { reason } },
            { onSuccess: () => setConfirming(null) },
          )
        }
      />
    ) : null;
  return (
    <div className="order-actions">
      {role === 'buyer' && order.status === 'paid' && order.actions.includes('cancel') && (
        // A postponed game's buyer chooses: keeping needs nothing, the refund is one button.
        <p className="small postponed-choice">{t('orders.postponedChoice')}</p>
      )}
      <div className="actions-row">{buttons}</div>
      {dialog}
      {open === 'deliver' && (
        // The evidence the delivery method needs (issue 18 item 4).
        <DeliverProofForm
          orderId={order.id}
          method={order.listing.deliveryMethod}
          busy={action.isPending}
          error={action.error}
          onSubmit={(body) => run('deliver', body)}
          onCancel={() => {
            setOpen(null);
            action.reset();
          }}
        />
      )}
      {open === 'dispute' && (
        <DisputeForm
          busy={action.isPending}
          onSubmit={(form) => run('dispute', form)}
          onCancel={() => setOpen(null)}
        />
      )}
      {open === 'review' && (
        <form className="form inline-form" onSubmit={submitForm}>
          <StarInput value={rating} onChange={setRating} />
          <label className="field">
            <span>{t('orders.comment')}</span>
            <textarea
              rows={2}
              value={text}
              maxLength={500}
              onChange={(e) => setText(e.target.value)}
            />
          </label>
          <div className="actions-row">
            <button type="submit" className="button small" disabled={action.isPending}>
              {t('orders.submitReview')}
            </button>
            <button type="button" className="button ghost small" onClick={() => setOpen(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
      {action.isSuccess && !open && (
        <p className="notice success small" role="status">
          {t('common.done')}
        </p>
      )}
      {action.isError && !confirming && open !== 'deliver' && <ErrorNotice error={action.error} />}
    </div>
  );
}

function Timeline({ order }: { order: Order }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const entries = order.timeline ?? [];
  if (entries.length === 0) return null;
  return (
    <ol className="timeline">
      {entries.map((e, i) => (
        <li key={i}>
          <strong>{t(`orderStatus.${e.to}`)}</strong>
          <time dateTime={e.at}>
            {formatDateTime(e.at, locale)} · {t(`actor.${e.actor}`)}
          </time>
          {/* A person's own words only; `reason` is the system's English account (issue 21 item 6). */}
          {e.note && <span className="user-text">{e.note}</span>}
        </li>
      ))}
    </ol>
  );
}

/** The buyer's dispute: the reason picked, their words and the evidence photos (private). */
export function DisputeEvidence({ order }: { order: Order }) {
  const { t } = useTranslation();
  if (!order.disputeCode && !order.disputeReason && order.disputePhotos.length === 0) return null;
  return (
    <div className="dispute-evidence">
      <p className="small">
        {t('dispute.title')}: {order.disputeCode ? t(`dispute.reason.${order.disputeCode}`) : ''}
        {order.disputeReason && (
          <>
            {' '}
            <span className="user-text">{order.disputeReason}</span>
          </>
        )}
      </p>
      {order.disputePhotos.length > 0 && (
        <ul className="evidence-photos plain">
          {order.disputePhotos.map((p, i) => (
            <li key={p.id}>
              <a href={p.url} target="_blank" rel="noreferrer">
                <img
                  src={p.thumbUrl}
                  alt={t('dispute.photoAlt', { n: i + 1 })}
                  loading="lazy"
                  width={120}
                />
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function OrderCard({
  order,
  role,
  expanded,
}: {
  order: OrderSummary;
  role: Role;
  expanded: boolean;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  // The list may carry a short order; the expanded one reads the whole order with its timeline.
  const detail = useQuery({
    ...orderQuery(order.id),
    enabled: expanded,
    refetchInterval: (q) => (expanded && q.state.data?.status === 'pending_payment' ? 5000 : false),
  });
  const o: OrderSummary = detail.data ?? order;
  const l = o.listing;
  const other = role === 'buyer' ? o.seller.name : o.buyer.name;
  return (
    <li className={`card order-card ${expanded ? 'expanded' : ''}`} id={`order-${o.id}`}>
      <div className="order-head">
        <div>
          <strong>{matchTitle(l.game, locale)}</strong>
          <span className="muted"> · {formatGameTime(l.game.startsAt, locale)}</span>
          <br />
          <span className="muted">
            {localName(l.area, locale)} · {seatText(l, t)} ·{' '}
            {t('listing.qty', { count: l.quantity })}
          </span>
        </div>
        <div className="order-status">
          <span className={`badge order-${o.status}`}>{t(`orderStatus.${o.status}`)}</span>
          <strong className="price">{formatMoney(o.amount)}</strong>
        </div>
      </div>
      {other && (
        <p className="small muted">
          {role === 'buyer' ? t('orders.seller') : t('orders.buyer')}: {other}
        </p>
      )}
      <DeliverBy deliverBy={o.deliverBy} status={o.status} />
      {expanded ? (
        <>
          {detail.isPending && <p className="muted">{t('common.loading')}</p>}
          {detail.data && <Timeline order={detail.data} />}
          {detail.data?.payment?.status === 'succeeded' && (
            <p className="small">
              {t('orders.paidWith')}: {t(`checkout.wallet.${detail.data.payment.method}`)}
            </p>
          )}
          {detail.data && <RecipientPanel order={detail.data} role={role} />}
          {detail.data && <ProofPanel order={detail.data} />}
          {detail.data && <DisputeEvidence order={detail.data} />}
          {role === 'buyer' && <SellerScorecardPanel sellerId={o.seller.id} headingLevel={3} />}
          {(o.status === 'paid' || o.status === 'delivered') && (
            <HandoverGuide
              teamId={l.game.homeTeam.id}
              method={l.deliveryMethod}
              headingLevel={3}
              forSeller={role === 'seller'}
            />
          )}
          {detail.data?.deliveryNote && (
            <p className="small">
              {t('orders.sentNote')}: <span className="user-text">{detail.data.deliveryNote}</span>
            </p>
          )}
          <OrderActions order={o} role={role} />
          {/* Buyer and seller talk once the order is paid (issue 18 item 5). */}
          {detail.data?.paidAt && <ConversationPanel orderId={o.id} role={role} />}
          <p>
            <Link to={`/me/orders?role=${role}`} className="small">
              {t('orders.collapse')}
            </Link>
          </p>
        </>
      ) : (
        <>
          <OrderActions order={o} role={role} />
          <p>
            <Link to={`/me/orders/${o.id}?role=${role}`} className="small">
              {t('orders.details')}
            </Link>
          </p>
        </>
      )}
    </li>
  );
}

export default function MyOrdersPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const me = useMe();
  useTitle(t('nav.orders'));
  const [params, setParams] = useSearchParams();
  const role: Role = params.get('role') === 'seller' ? 'seller' : 'buyer';
  const orders = useQuery(myOrdersQuery(role));
  // An order opened from a link (e-mail, bell) may be one we sold: find out from the order.
  const single = useQuery({ ...orderQuery(id ?? ''), enabled: Boolean(id) });
  const items = orders.data?.items ?? [];
  const singleRole: Role =
    single.data && me.data && single.data.seller.id === me.data.id ? 'seller' : 'buyer';
  const showSingle = id && single.data && !items.some((o) => o.id === id);

  return (
    <div className="page me-page">
      <h1>{t('nav.orders')}</h1>
      <MeNav />
      <div className="segmented" role="group" aria-label={t('orders.as')}>
        <button
          type="button"
          aria-pressed={role === 'buyer'}
          onClick={() => setParams({ role: 'buyer' })}
        >
          {t('orders.asBuyer')}
        </button>
        <button
          type="button"
          aria-pressed={role === 'seller'}
          onClick={() => setParams({ role: 'seller' })}
        >
          {t('orders.asSeller')}
        </button>
      </div>
      {single.isError && <ErrorNotice error={single.error} />}
      {showSingle && (
        <ul className="order-list plain">
          <OrderCard order={single.data} role={singleRole} expanded />
        </ul>
      )}
      {orders.isError && <ErrorNotice error={orders.error} />}
      {orders.isPending ? (
        <CardSkeleton count={2} />
      ) : items.length === 0 ? (
        <div className="empty">
          <p>{role === 'buyer' ? t('orders.emptyBuyer') : t('orders.emptySeller')}</p>
          <Link to={role === 'buyer' ? '/' : '/sell'} className="button">
            {role === 'buyer' ? t('nav.games') : t('nav.sell')}
          </Link>
        </div>
      ) : (
        <ul className="order-list plain">
          {items.map((o) => (
            <OrderCard key={o.id} order={o} role={role} expanded={o.id === id} />
          ))}
        </ul>
      )}
    </div>
  );
}
