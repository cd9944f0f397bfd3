// One template per notification type, in zh-TW and English: title, body and the web page it is
// about. Pure functions of a view (recipient + the facts of the event); no database access here.
import type { NotificationType } from '../../../../shared/contracts/notifications.ts';
import type {
  GAME_CHANGE_KINDS,
  PAYMENT_METHODS,
} from '../../../../shared/contracts/vocabulary.ts';

export type NotificationLocale = 'zh-TW' | 'en';

export interface Bilingual {
  zh: string;
  en: string;
}

export interface GameView {
  id: string;
  startsAt: string;
  home: Bilingual;
  away: Bilingual;
}

/** Everything a template may use. Absent facts are left out of the text, never shown as "undefined". */
export interface NotificationView {
  /** The recipient. */
  userId: string;
  role?: 'buyer' | 'seller';
  /** A game notice's recipient: what they hold of the game (game_postponed, game_cancelled). */
  stake?: 'buyer' | 'seller' | 'reserver';
  /** A buyer's order may still be cancelled for a refund (paid, not yet handed over). */
  refundable?: boolean;
  gameId?: string;
  orderId?: string;
  listingId?: string;
  game?: GameView;
  area?: Bilingual;
  /** Where the seats are (payment_receipt). */
  seat?: { section: string; row: string | null; seats: string | null };
  price?: number;
  quantity?: number;
  amount?: number;
  /** How the buyer paid (payment_receipt). */
  paymentMethod?: (typeof PAYMENT_METHODS)[number];
  /** order_delivered: the seller's proof of sending, and the mail's tracking number. */
  proof?: 'photo' | 'tracking';
  trackingNumber?: string;
  /** The seller must send the ticket by this instant (order_paid). */
  deliverBy?: string;
  /** The new first pitch (game_postponed). */
  startsAt?: string;
  rating?: number;
  /** User-written text (a review comment); plain text, escaped by the e-mail renderer. */
  comment?: string;
  /** Who wrote the review (user text). */
  buyerName?: string;
  /** game_changed: what changed; a suspended game's inning. */
  change?: (typeof GAME_CHANGE_KINDS)[number];
  inning?: number;
  /** schedule_sync_failing: failed runs in a row and the last error. */
  failures?: number;
  error?: string;
  /** dispute_resolved: refund to the buyer or release to the seller, and the admin's note (text). */
  outcome?: 'refund' | 'release';
  note?: string;
}

export interface RenderedNotification {
  title: string;
  body: string;
  link: string;
}

const TAIPEI = 'Asia/Taipei';
const dateFormats: Record<NotificationLocale, Intl.DateTimeFormat> = {
  'zh-TW': new Intl.DateTimeFormat('zh-TW', {
    timeZone: TAIPEI,
    month: 'numeric',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    timeZone: TAIPEI,
    month: 'short',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }),
};
const numberFormat = new Intl.NumberFormat('en');

export function formatWhen(iso: string, locale: NotificationLocale): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : dateFormats[locale].format(d);
}

export const formatMoney = (amount: number) => `NT$${numberFormat.format(amount)}`;

const pick = (b: Bilingual | undefined, locale: NotificationLocale) =>
  b ? (locale === 'en' ? b.en : b.zh) : '';

/** "兄弟 vs 統一獅" — away team first, as on CPBL's own schedule. */
export function gameName(game: GameView | undefined, locale: NotificationLocale): string {
  if (!game) return locale === 'en' ? 'your game' : '你的比賽';
  return `${pick(game.away, locale)} vs ${pick(game.home, locale)}`;
}

function gameWithTime(game: GameView | undefined, locale: NotificationLocale): string {
  if (!game) return gameName(game, locale);
  const when = formatWhen(game.startsAt, locale);
  return when ? `${gameName(game, locale)} (${when})` : gameName(game, locale);
}

const join = (...parts: (string | false | undefined | null)[]) =>
  parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join(' ');

interface Template {
  link(v: NotificationView): string;
  render(v: NotificationView, locale: NotificationLocale): { title: string; body: string };
}

const ordersOfSeller = '/me/orders?role=seller';
const orderPage = (v: NotificationView) => (v.orderId ? `/checkout/${v.orderId}` : '/me/orders');
const gamePage = (v: NotificationView) => {
  const id = v.gameId ?? v.game?.id;
  return id ? `/games/${id}` : '/';
};
const zh = (locale: NotificationLocale) => locale === 'zh-TW';
/** A game notice opens the buyer's order (where the choice is), anyone else's game page. */
const gameNoticePage = (v: NotificationView) =>
  v.stake === 'buyer' && v.orderId ? `/me/orders/${v.orderId}` : gamePage(v);

/** What a postponement means for what the recipient holds. */
function postponedStake(v: NotificationView, l: NotificationLocale): string {
  const paused = !v.startsAt;
  switch (v.stake) {
    case 'buyer':
      return v.refundable
        ? zh(l)
          ? '你的票券在新日期仍然有效，保留票券不需要任何動作；若無法出席，可以在補賽開打前於訂單頁一鍵取消並全額退款。'
          : "Your ticket stays valid for the new date: to keep it, do nothing. If you can't make it, cancel for a full refund in one tap on your order page before the make-up game."
        : zh(l)
          ? '你已收到的票券在新日期仍然有效。若要退款，請把票券退還給賣家，由賣家確認後退款。'
          : 'The ticket you received stays valid for the new date. For a refund, give the ticket back to the seller, who confirms it to refund you.';
    case 'seller':
      return zh(l)
        ? join(
            '你的刊登會跟著補賽；已售出的票券在新日期仍然有效，買家可在補賽前選擇退款。',
            paused && '補賽日期確定前，刊登暫停販售。',
          )
        : join(
            'Your listings follow the make-up game; sold tickets stay valid for the new date, and their buyers may choose a refund before it.',
            paused && 'Until the date is set, your listings are off sale.',
          );
    case 'reserver':
      return zh(l)
        ? '你的預約會跟著補賽，有符合的票券上架時會通知你。'
        : "Your reservation follows the make-up game; we'll tell you when a matching ticket is listed.";
    default:
      return zh(l)
        ? '你的票券仍然有效；若無法出席，可以在補賽前申請全額退款。'
        : "Your ticket stays valid; if you can't make it, you can cancel for a full refund before the make-up game.";
  }
}

/** What a cancelled game means for what the recipient holds. */
function cancelledStake(v: NotificationView, l: NotificationLocale): string {
  switch (v.stake) {
    case 'seller':
      return zh(l)
        ? '這場比賽已取消，你的刊登已下架；已售出的訂單會全額退款給買家。'
        : 'This game has been cancelled; your listings are withdrawn and sold orders are refunded to their buyers in full.';
    case 'reserver':
      return zh(l)
        ? '這場比賽已取消，你的預約已結束。'
        : 'This game has been cancelled; your reservation has ended.';
    default:
      return zh(l)
        ? '這場比賽已取消，你的訂單將全額退款。'
        : 'This game has been cancelled; your order will be refunded in full.';
  }
}

/** "A2 區 · 3 排 · 7-8 号" / "Section A2 · Row 3 · Seats 7-8", as on the listing page. */
/** A payment method's name as the buyer knows it (wallets keep their brand names). */
function paymentMethodName(
  method: NonNullable<NotificationView['paymentMethod']>,
  locale: NotificationLocale,
): string {
  const names = {
    card: zh(locale) ? '信用卡' : 'Credit card',
    linepay: 'LINE Pay',
    jkopay: zh(locale) ? '街口支付' : 'JKO Pay',
    applepay: 'Apple Pay',
    googlepay: 'Google Pay',
  } as const;
  return names[method];
}

function seatLine(seat: NotificationView['seat'], locale: NotificationLocale): string {
  if (!seat) return '';
  return zh(locale)
    ? [`${seat.section} 區`, seat.row && `${seat.row} 排`, seat.seats && `${seat.seats} 號`]
        .filter(Boolean)
        .join(' · ')
    : [
        `Section ${seat.section}`,
        seat.row && `Row ${seat.row}`,
        seat.seats && `Seats ${seat.seats}`,
      ]
        .filter(Boolean)
        .join(' · ');
}

export const TEMPLATES: Record<NotificationType, Template> = {
  reservation_match: {
    link: (v) => (v.listingId ? `/listings/${v.listingId}` : gamePage(v)),
    render: (v, l) => {
      const when = v.game ? formatWhen(v.game.startsAt, l) : '';
      const area = pick(v.area, l);
      if (zh(l)) {
        const seats = [area, v.quantity !== undefined && `${v.quantity} 張`]
          .filter(Boolean)
          .join(' ');
        return {
          title: `有票了：${gameName(v.game, l)}`,
          body:
            (when ? `${when}・` : '') +
            seats +
            (v.price !== undefined ? `，每張 ${formatMoney(v.price)}` : '') +
            (seats || v.price !== undefined ? '。' : '') +
            '符合你的預約，手刀搶票！',
        };
      }
      return {
        title: `Tickets available: ${gameName(v.game, l)}`,
        body: join(
          when && `${when} ·`,
          area && `${area},`,
          v.quantity !== undefined && `${v.quantity} ticket${v.quantity === 1 ? '' : 's'}`,
          v.price !== undefined && `at ${formatMoney(v.price)} each.`,
          'They match your reservation — grab them before someone else does.',
        ),
      };
    },
  },
  order_placed: {
    link: () => ordersOfSeller,
    render: (v, l) =>
      zh(l)
        ? {
            title: `有人下單了：${gameName(v.game, l)}`,
            body: '買家正在付款中，付款完成後會再通知你出貨。',
          }
        : {
            title: `Someone is buying your ticket: ${gameName(v.game, l)}`,
            body: "The buyer is paying now. We'll tell you when the payment is confirmed so you can send the ticket.",
          },
  },
  order_paid: {
    link: () => ordersOfSeller,
    render: (v, l) => {
      const by = v.deliverBy ? formatWhen(v.deliverBy, l) : '';
      return zh(l)
        ? {
            title: `買家已付款，請出貨：${gameName(v.game, l)}`,
            body: join(
              v.amount !== undefined && `訂單金額 ${formatMoney(v.amount)}。`,
              by ? `請在 ${by} 前將票券交給買家，` : '請盡快將票券交給買家，',
              '逾時訂單將退款給買家。',
            ),
          }
        : {
            title: `Paid — please send the ticket: ${gameName(v.game, l)}`,
            body: join(
              v.amount !== undefined && `Order total ${formatMoney(v.amount)}.`,
              by ? `Send the ticket to the buyer by ${by};` : 'Send the ticket to the buyer soon;',
              'if you miss the deadline the buyer is refunded.',
            ),
          };
    },
  },
  order_delivered: {
    link: orderPage,
    render: (v, l) =>
      zh(l)
        ? {
            title: `賣家已寄出票券：${gameName(v.game, l)}`,
            body: join(
              v.proof === 'photo' && '賣家附上了轉贈截圖，可在訂單頁查看。',
              v.proof === 'tracking' && v.trackingNumber && `掛號追蹤號碼：${v.trackingNumber}。`,
              '收到票券後請確認收貨；如有問題，可以在訂單頁提出爭議。',
            ),
          }
        : {
            title: `Your ticket is on its way: ${gameName(v.game, l)}`,
            body: join(
              v.proof === 'photo' &&
                'The seller added a screenshot of the transfer; see it on the order page.',
              v.proof === 'tracking' && v.trackingNumber && `Tracking number: ${v.trackingNumber}.`,
              'Confirm receipt once you have it, or open a dispute on the order page if something is wrong.',
            ),
          },
  },
  order_completed: {
    link: (v) => (v.role === 'seller' ? ordersOfSeller : orderPage(v)),
    render: (v, l) => {
      if (v.role === 'seller')
        return zh(l)
          ? {
              title: `訂單完成：${gameName(v.game, l)}`,
              body:
                v.amount !== undefined
                  ? `交易已完成，款項 ${formatMoney(v.amount)} 將撥付給你。`
                  : '交易已完成，款項將撥付給你。',
            }
          : {
              title: `Order completed: ${gameName(v.game, l)}`,
              body: join(
                'The sale is complete;',
                v.amount !== undefined
                  ? `${formatMoney(v.amount)} will be paid out to you.`
                  : 'your payout is on its way.',
              ),
            };
      return zh(l)
        ? {
            title: `訂單完成：${gameName(v.game, l)}`,
            body: '感謝使用 Pitch-A-Seat，祝觀賽愉快！歡迎為賣家留下評價。',
          }
        : {
            title: `Order completed: ${gameName(v.game, l)}`,
            body: 'Thanks for using Pitch-A-Seat — enjoy the game! You can now rate the seller.',
          };
    },
  },
  order_refunded: {
    link: (v) => (v.role === 'seller' ? ordersOfSeller : orderPage(v)),
    render: (v, l) => {
      if (v.role === 'seller')
        return zh(l)
          ? {
              title: `訂單已取消並退款：${gameName(v.game, l)}`,
              body: '這筆訂單已全額退款給買家，不會撥款給你。',
            }
          : {
              title: `Order refunded: ${gameName(v.game, l)}`,
              body: 'The buyer has been refunded in full; there is no payout for this order.',
            };
      return zh(l)
        ? {
            title: `已退款：${gameName(v.game, l)}`,
            body:
              v.amount !== undefined
                ? `${formatMoney(v.amount)} 已退回你的付款卡片，入帳時間依發卡銀行而定。`
                : '款項已退回你的付款卡片，入帳時間依發卡銀行而定。',
          }
        : {
            title: `Refunded: ${gameName(v.game, l)}`,
            body:
              v.amount !== undefined
                ? `${formatMoney(v.amount)} has been refunded to your card; your bank decides when it shows.`
                : 'Your payment has been refunded to your card; your bank decides when it shows.',
          };
    },
  },
  order_expired: {
    link: (v) => (v.listingId ? `/listings/${v.listingId}` : orderPage(v)),
    render: (v, l) =>
      zh(l)
        ? {
            title: `訂單已逾時：${gameName(v.game, l)}`,
            body: '付款時間已過，訂單已取消，沒有任何扣款。若票券還在，可以重新下單。',
          }
        : {
            title: `Order expired: ${gameName(v.game, l)}`,
            body: 'The time to pay ran out, so the order was cancelled and nothing was charged. If the ticket is still there you can order it again.',
          },
  },
  review_received: {
    link: (v) => `/users/${v.userId}`,
    render: (v, l) => {
      const stars = v.rating !== undefined ? '★'.repeat(v.rating) + '☆'.repeat(5 - v.rating) : '';
      const comment = v.comment?.trim();
      return zh(l)
        ? {
            title: '你收到一則新評價',
            body:
              join(
                (v.buyerName ? `${v.buyerName}：` : '') +
                  (v.rating !== undefined ? `${stars}（${v.rating} 顆星）` : ''),
                comment && `「${comment}」`,
                v.game && `— ${gameName(v.game, l)}`,
              ) || '到你的賣家頁面看看買家怎麼說。',
          }
        : {
            title: 'You received a new review',
            body:
              join(
                v.buyerName && `${v.buyerName}:`,
                v.rating !== undefined && `${stars} (${v.rating}/5)`,
                comment && `“${comment}”`,
                v.game && `— ${gameName(v.game, l)}`,
              ) || 'See what the buyer said on your seller page.',
          };
    },
  },
  game_postponed: {
    link: gameNoticePage,
    render: (v, l) => {
      const when = v.startsAt ? formatWhen(v.startsAt, l) : '';
      return zh(l)
        ? {
            title: `比賽改期：${gameName(v.game, l)}`,
            body: join(
              when ? `新的開賽時間：${when}。` : '新的比賽時間確定後會再通知你。',
              postponedStake(v, l),
            ),
          }
        : {
            title: `Game moved: ${gameName(v.game, l)}`,
            body: join(
              when ? `New first pitch: ${when}.` : "We'll tell you the new date once it is set.",
              postponedStake(v, l),
            ),
          };
    },
  },
  game_cancelled: {
    link: gameNoticePage,
    render: (v, l) => ({
      title: zh(l)
        ? `比賽取消：${gameWithTime(v.game, l)}`
        : `Game cancelled: ${gameWithTime(v.game, l)}`,
      body: cancelledStake(v, l),
    }),
  },
  game_changed: {
    link: gameNoticePage,
    render: (v, l) => {
      const name = gameWithTime(v.game, l);
      if (v.change === 'suspended') {
        const inning = v.inning ? (zh(l) ? `第 ${v.inning} 局` : `in inning ${v.inning}`) : '';
        return zh(l)
          ? {
              title: `比賽暫停：${name}`,
              body: join(
                inning && `比賽於${inning}暫停。`,
                '依球團政策，五局前暫停的比賽全額退款；已成立的訂單將自動退款，撥款會等到補賽完成。',
              ),
            }
          : {
              title: `Game suspended: ${name}`,
              body: join(
                inning && `Play stopped ${inning}.`,
                "Under the club's policy a game stopped before the 5th inning is refunded in full; orders are refunded automatically and payouts wait for the completed game.",
              ),
            };
      }
      if (v.change === 'stadium')
        return zh(l)
          ? { title: `比賽場地異動：${name}`, body: '這場比賽改在其他球場進行，請查看比賽頁面。' }
          : {
              title: `Stadium changed: ${name}`,
              body: 'This game moved to another ballpark; see the game page.',
            };
      return zh(l)
        ? { title: `比賽資訊異動：${name}`, body: '這場比賽的賽程有變動，請查看比賽頁面。' }
        : {
            title: `Game updated: ${name}`,
            body: "This game's schedule changed; see the game page.",
          };
    },
  },
  schedule_sync_failing: {
    link: () => '/admin',
    render: (v, l) =>
      zh(l)
        ? {
            title: '賽程同步失敗',
            body: join(
              `CPBL 賽程同步已連續失敗 ${v.failures ?? 0} 次，賽程沒有任何變更。`,
              v.error && `最後的錯誤：${v.error}`,
            ),
          }
        : {
            title: 'Schedule sync failing',
            body: join(
              `The CPBL schedule sync failed ${v.failures ?? 0} times in a row; nothing was changed.`,
              v.error && `Last error: ${v.error}`,
            ),
          },
  },
  delivery_reminder: {
    link: (v) => (v.orderId ? `/me/orders/${v.orderId}?role=seller` : ordersOfSeller),
    render: (v, l) => {
      const by = v.deliverBy ? formatWhen(v.deliverBy, l) : '';
      return zh(l)
        ? {
            title: `提醒：請盡快交付票券：${gameName(v.game, l)}`,
            body: join(
              by ? `交付期限是 ${by}。` : '交付期限快到了。',
              '交付後請在訂單頁按「標記已寄出」；逾時訂單將退款給買家。',
            ),
          }
        : {
            title: `Reminder: send the ticket soon: ${gameName(v.game, l)}`,
            body: join(
              by ? `The handover deadline is ${by}.` : 'The handover deadline is near.',
              'Press "Mark sent" on the order page once you have; if you miss it the buyer is refunded.',
            ),
          };
    },
  },
  dispute_resolved: {
    link: (v) =>
      v.orderId
        ? `/me/orders/${v.orderId}${v.role === 'seller' ? '?role=seller' : ''}`
        : '/me/orders',
    render: (v, l) => {
      const refund = v.outcome === 'refund';
      return zh(l)
        ? {
            title: `爭議已處理：${gameName(v.game, l)}`,
            body: join(
              refund ? '管理員決定退款給買家。' : '管理員決定將款項撥付給賣家。',
              v.note && `管理員說明：${v.note}`,
            ),
          }
        : {
            title: `Dispute settled: ${gameName(v.game, l)}`,
            body: join(
              refund
                ? 'An admin decided to refund the buyer.'
                : 'An admin decided to release the payment to the seller.',
              v.note && `The admin's note: ${v.note}`,
            ),
          };
    },
  },
  // The preview (comment) is masked for contact details by conversations before it gets here.
  order_message: {
    link: (v) =>
      v.orderId ? `/me/orders/${v.orderId}?role=${v.role ?? 'buyer'}#conversation` : '/me/orders',
    render: (v, l) => {
      const preview = v.comment?.trim();
      const from = v.buyerName?.trim();
      return zh(l)
        ? {
            title: `${v.role === 'seller' ? '買家' : '賣家'}傳來訊息：${gameName(v.game, l)}`,
            body:
              join(from && `${from}：`, preview ? `「${preview}」` : '（照片）') ||
              '到訂單頁查看並回覆。',
          }
        : {
            title: `New message from the ${v.role === 'seller' ? 'buyer' : 'seller'}: ${gameName(v.game, l)}`,
            body:
              join(from && `${from}:`, preview ? `“${preview}”` : '(a photo)') ||
              'Open the order to read and reply.',
          };
    },
  },
  payment_receipt: {
    link: (v) => (v.orderId ? `/me/orders/${v.orderId}` : '/me/orders'),
    render: (v, l) => {
      const by = v.deliverBy ? formatWhen(v.deliverBy, l) : '';
      const seats = [pick(v.area, l), seatLine(v.seat, l)].filter(Boolean).join(' · ');
      if (zh(l))
        return {
          title: `付款成功，這是你的收據：${gameName(v.game, l)}`,
          body: [
            v.orderId && `訂單編號：${v.orderId}`,
            `比賽：${gameWithTime(v.game, l)}`,
            seats && `座位：${seats}`,
            v.quantity !== undefined &&
              v.price !== undefined &&
              `張數：${v.quantity} 張 × ${formatMoney(v.price)}`,
            v.amount !== undefined && `付款金額：${formatMoney(v.amount)}（不另收手續費）`,
            v.paymentMethod && `付款方式：${paymentMethodName(v.paymentMethod, l)}`,
            '',
            '款項由平台代管：你確認收到票券後，我們才會撥款給賣家；若賣家沒有如期交付，你會收到全額退款。',
            by
              ? `賣家須在 ${by} 前交付票券，逾時未交付將自動全額退款。`
              : '賣家會盡快交付票券，逾時未交付將自動全額退款。',
          ]
            .filter((x) => x !== false && x !== undefined)
            .join('\n'),
        };
      return {
        title: `Payment received — your receipt: ${gameName(v.game, l)}`,
        body: [
          v.orderId && `Order: ${v.orderId}`,
          `Game: ${gameWithTime(v.game, l)}`,
          seats && `Seats: ${seats}`,
          v.quantity !== undefined &&
            v.price !== undefined &&
            `Tickets: ${v.quantity} × ${formatMoney(v.price)}`,
          v.amount !== undefined && `Amount paid: ${formatMoney(v.amount)} (no fees added)`,
          v.paymentMethod && `Paid with: ${paymentMethodName(v.paymentMethod, l)}`,
          '',
          'We hold your payment: the seller is paid only after you confirm you have the tickets, and if they are not handed over in time you get a full refund.',
          by
            ? `The seller must hand over the tickets by ${by}; if not, you are refunded in full automatically.`
            : 'The seller will hand over the tickets soon; if not in time, you are refunded in full automatically.',
        ]
          .filter((x) => x !== false && x !== undefined)
          .join('\n'),
      };
    },
  },
  payout_paid: {
    link: () => ordersOfSeller,
    render: (v, l) =>
      zh(l)
        ? {
            title: v.amount !== undefined ? `已撥款 ${formatMoney(v.amount)}` : '款項已撥付',
            body: join(
              v.game
                ? `${gameName(v.game, l)} 的售票款項已匯入你的帳戶。`
                : '售票款項已匯入你的帳戶。',
            ),
          }
        : {
            title: v.amount !== undefined ? `Payout sent: ${formatMoney(v.amount)}` : 'Payout sent',
            body: v.game
              ? `The money for your ${gameName(v.game, l)} ticket is on its way to your bank account.`
              : 'The money for your ticket is on its way to your bank account.',
          },
  },
  // The bank could not pay a payout (the reason, from its result file, travels in `comment`):
  // the seller fixes the payout account and the payout goes into the next batch.
  payout_failed: {
    link: () => '/me/payouts',
    render: (v, l) =>
      zh(l)
        ? {
            title: v.amount !== undefined ? `撥款失敗 ${formatMoney(v.amount)}` : '撥款失敗',
            body: `銀行無法將款項匯入你的帳戶${v.comment ? `（${v.comment}）` : ''}。請確認收款帳戶的銀行代碼、分行代碼、帳號與戶名；更正後會在下一批撥款。`,
          }
        : {
            title:
              v.amount !== undefined ? `Payout failed: ${formatMoney(v.amount)}` : 'Payout failed',
            body: join(
              `The bank could not pay this into your account${v.comment ? ` (${v.comment})` : ''}.`,
              'Check the bank code, branch code, account number and account name of your payout account; once fixed, it goes out in the next batch.',
            ),
          },
  },
};

export function renderNotification(
  type: NotificationType,
  locale: NotificationLocale,
  view: NotificationView,
): RenderedNotification {
  const template = TEMPLATES[type];
  const { title, body } = template.render(view, locale);
  // Column limits: title varchar(300); keep well inside.
  return { title: title.slice(0, 200), body: body.slice(0, 2000), link: template.link(view) };
}

export const toLocale = (value: string | null | undefined): NotificationLocale =>
  value === 'en' ? 'en' : 'zh-TW';
