// Mounts the TapPay simulator under /_sim/tappay (only when PAYMENT_PROVIDER=simulator; app.ts
// decides). Same paths and JSON as TapPay, plus the pages the browser is sent to: 3-D Secure, and
// the LINE Pay / JKO Pay wallet page (pay, decline, or cancel at the wallet).
import type { FastifyPluginAsync } from 'fastify';
import { RECORD_STATUS } from './tappay-client.ts';
import { TAPPAY_PATHS } from './tappay-client.ts';
import type { TapPaySimulator } from './simulator.ts';

export const SIMULATOR_PREFIX = '/_sim/tappay';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string) {
  return `<!doctype html>
<html lang="zh-Hant"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}
.box{border:1px solid #ccc;border-radius:8px;padding:1.25rem}button{font-size:1rem;padding:.6rem 1.2rem;margin-right:.5rem;border-radius:6px;border:1px solid #555;cursor:pointer}
.ok{background:#1f7a3d;color:#fff;border-color:#1f7a3d}small{color:#666}</style></head>
<body><div class="box">${body}</div></body></html>`;
}

export const simulatorRoutes: FastifyPluginAsync<{ simulator: TapPaySimulator }> = async (
  app,
  { simulator },
) => {
  // The 3-D Secure form posts application/x-www-form-urlencoded; only this plugin needs it.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 4096 },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  const hide = { schema: { hide: true } };
  const json = (payload: unknown) => JSON.stringify(payload);

  app.post(TAPPAY_PATHS.payByPrime, hide, async (request, reply) =>
    reply
      .type('application/json')
      .send(json(await simulator.payByPrime(request.headers['x-api-key'], request.body))),
  );
  app.post(TAPPAY_PATHS.record, hide, async (request, reply) =>
    reply
      .type('application/json')
      .send(json(simulator.query(request.headers['x-api-key'], request.body))),
  );
  app.post(TAPPAY_PATHS.refund, hide, async (request, reply) =>
    reply
      .type('application/json')
      .send(json(simulator.refund(request.headers['x-api-key'], request.body))),
  );

  app.get<{ Params: { id: string } }>('/3ds/:id', hide, async (request, reply) => {
    const t = simulator.get(request.params.id);
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
    if (!t) return reply.status(404).send(page('3-D Secure', '<p>No such transaction.</p>'));
    const id = escapeHtml(t.recTradeId);
    const done = t.recordStatus !== RECORD_STATUS.pending;
    return reply.send(
      page(
        '3-D Secure (simulator)',
        `<h1>3-D Secure 驗證（模擬）</h1>
<p>金額 NT$${t.amount.toLocaleString('en-US')}<br><small>Order ${escapeHtml(t.orderNumber)} · ${id}</small></p>
${done ? '<p>This transaction has already been verified.</p>' : ''}
<form method="post" action="${SIMULATOR_PREFIX}/3ds/${id}">
<button class="ok" type="submit" name="outcome" value="approve">驗證通過 Approve</button>
<button type="submit" name="outcome" value="fail">驗證失敗 Fail</button>
</form>
${t.goBackUrl ? `<p><a href="${escapeHtml(t.goBackUrl)}">返回商店 Back to the shop</a></p>` : ''}`,
      ),
    );
  });

  const WALLET_NAMES = { linepay: 'LINE Pay', jkopay: '街口支付 JKO Pay' } as const;
  app.get<{ Params: { id: string } }>('/wallet/:id', hide, async (request, reply) => {
    const t = simulator.get(request.params.id);
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
    if (!t || (t.wallet !== 'linepay' && t.wallet !== 'jkopay'))
      return reply.status(404).send(page('Wallet', '<p>No such transaction.</p>'));
    const id = escapeHtml(t.recTradeId);
    const name = WALLET_NAMES[t.wallet];
    const done = t.recordStatus !== RECORD_STATUS.pending;
    return reply.send(
      page(
        `${name} (simulator)`,
        `<h1>${name}（模擬）</h1>
<p>付款給 Pitch-A-Seat：NT$${t.amount.toLocaleString('en-US')}<br><small>Order ${escapeHtml(t.orderNumber)} · ${id}</small></p>
${done ? '<p>This payment has already been completed.</p>' : ''}
<form method="post" action="${SIMULATOR_PREFIX}/wallet/${id}">
<p><button class="ok" type="submit" name="outcome" value="approve">確認付款 Pay</button>
<button type="submit" name="outcome" value="decline">付款失敗 Decline</button></p>
<p><button type="submit" name="outcome" value="cancel">取消付款 Cancel</button></p>
</form>`,
      ),
    );
  });

  app.post<{ Params: { id: string } }>('/wallet/:id', hide, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const outcome =
      body.outcome === 'approve' ? 'approve' : body.outcome === 'decline' ? 'decline' : 'cancel';
    const redirect = await simulator.completeWallet(request.params.id, outcome);
    if (!redirect) {
      return reply
        .status(404)
        .type('text/html; charset=utf-8')
        .send(page('Wallet', '<p>No such transaction.</p>'));
    }
    return reply.redirect(redirect, 303);
  });

  app.post<{ Params: { id: string } }>('/3ds/:id', hide, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const redirect = await simulator.complete3ds(request.params.id, body.outcome !== 'fail');
    if (!redirect) {
      return reply
        .status(404)
        .type('text/html; charset=utf-8')
        .send(page('3-D Secure', '<p>No such transaction.</p>'));
    }
    return reply.redirect(redirect, 303);
  });
};
