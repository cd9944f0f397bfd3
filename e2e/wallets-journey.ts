// Journey 13 (issue 23 item 7): the wallets at checkout, each button once, against the simulator
// (the e2e server offers all four: TAPPAY_WALLETS in lib.ts). Apple Pay appears only where the
// browser has ApplePaySession, so this page is given a stand-in for Safari's; Chromium has the
// Payment Request API, so Google Pay appears on its own.
//   order 1: LINE Pay by keyboard → cancelled at the wallet; JKO Pay → declined there; LINE Pay → paid
//   order 2: JKO Pay → paid
//   order 3: Google Pay sheet closed with Escape, then declined; Apple Pay → paid (390 px, English)
//   order 4: Google Pay → paid
import type { Page } from 'playwright-core';
import { fillRecipient, taipeiDate, type Journey } from './lib.ts';

interface GameLite {
  id: string;
  status: string;
  startsAt: string;
  listingCount: number;
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** One active listing from each of `n` upcoming games, from the end of the calendar (journeys
 *  3, 4 and 8 buy from its start). */
async function listingsToBuy(j: Journey, n: number): Promise<string[]> {
  const { items } = await j.api.request<{ items: GameLite[] }>(
    'GET',
    `/api/games?from=${taipeiDate(0)}&to=${taipeiDate(30)}`,
  );
  const soon = Date.now() + 3 * 3_600_000;
  const games = items
    .filter((g) => g.status === 'scheduled' && Date.parse(g.startsAt) > soon && g.listingCount > 0)
    .reverse();
  const found: string[] = [];
  for (const g of games) {
    if (found.length === n) break;
    const { items: listings } = await j.api.request<{ items: { id: string }[] }>(
      'GET',
      `/api/games/${g.id}/listings?limit=1&sort=price`,
    );
    if (listings[0]) found.push(listings[0].id);
  }
  assert(found.length === n, `only ${found.length} listings to buy`);
  return found;
}

async function hold(page: Page, listingId: string) {
  await page.goto(`/listings/${listingId}`);
  await page.locator('.buy-button').click();
  await page.waitForURL('**/checkout/**');
  await page.getByLabel('手機號碼').fill('0912345678');
  await fillRecipient(page);
  await page.locator('.wallet-buttons').waitFor();
  return page.url();
}

const walletButton = (page: Page, name: string) =>
  page.locator('.wallet-buttons').getByRole('button', { name });

/** At the simulated LINE Pay / JKO Pay page: pay, decline or cancel; back to checkout. */
async function atWalletPage(page: Page, checkoutUrl: string, button: RegExp) {
  await page.waitForURL('**/_sim/tappay/wallet/**');
  await page.getByRole('button', { name: button }).click();
  await page.waitForURL(checkoutUrl);
}

export async function walletsAtCheckout(j: Journey, register: (page: Page) => Promise<unknown>) {
  const page = await j.newPage();
  await page.context().addInitScript(() => {
    // Safari's ApplePaySession, as far as feature detection sees it.
    (window as unknown as { ApplePaySession: unknown }).ApplePaySession = {
      canMakePayments: () => true,
    };
  });
  await register(page);
  const [first, second, third, fourth] = await listingsToBuy(j, 4);

  // Order 1: LINE Pay, by keyboard; the buyer cancels at LINE Pay.
  let checkout = await hold(page, first!);
  for (const name of ['使用 LINE Pay 付款', '使用 街口支付 付款', '使用 Apple Pay 付款']) {
    await walletButton(page, name).waitFor();
  }
  await walletButton(page, '使用 Google Pay 付款').waitFor();
  await j.check(page, 'wallet-buttons');
  await walletButton(page, '使用 LINE Pay 付款').focus();
  await page.keyboard.press('Enter');
  await page.waitForURL('**/_sim/tappay/wallet/**');
  await page.getByRole('heading', { name: /LINE Pay/ }).waitFor();
  await j.check(page, 'linepay-page');
  await page.getByRole('button', { name: /取消付款/ }).click();
  await page.waitForURL(checkout);
  await page.getByText('LINE Pay 付款未完成').waitFor({ timeout: 20_000 });
  await j.check(page, 'linepay-cancelled');
  // Back from the wallet, what the buyer typed is still there (nothing lost on failure).
  const recipient = page.locator('#recipient-account, #recipient-name').first();
  const typed = (await recipient.count()) ? await recipient.inputValue() : 'in person';
  assert(
    (await page.getByLabel('手機號碼').inputValue()) === '0912345678' &&
      ['0912345678', '王小明', 'in person'].includes(typed),
    `the contact phone and the recipient survive the trip to LINE Pay and back (got ${typed})`,
  );
  // JKO Pay declines.
  await walletButton(page, '使用 街口支付 付款').click();
  await atWalletPage(page, checkout, /付款失敗/);
  await page.getByText('街口支付 付款未完成').waitFor({ timeout: 20_000 });
  // LINE Pay again, paid.
  await page.getByLabel('手機號碼').fill('0912345678');
  await fillRecipient(page);
  await walletButton(page, '使用 LINE Pay 付款').click();
  await atWalletPage(page, checkout, /確認付款/);
  await page.getByText('付款成功！').waitFor({ timeout: 20_000 });
  await page.getByRole('link', { name: '查看訂單' }).click();
  await page.getByText('付款方式: LINE Pay').waitFor();

  // Order 2: JKO Pay, paid.
  checkout = await hold(page, second!);
  await walletButton(page, '使用 街口支付 付款').click();
  await atWalletPage(page, checkout, /確認付款/);
  await page.getByText('付款成功！').waitFor({ timeout: 20_000 });

  // Order 3: Google Pay's sheet closed (Escape), then declined; Apple Pay pays. In English at
  // 390 px.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.evaluate(() => localStorage.setItem('pas_lang', 'en'));
  await page.goto('/');
  await page.goto(`/listings/${third!}`);
  await page.locator('.buy-button').click();
  await page.waitForURL('**/checkout/**');
  await page.getByLabel('Mobile number').fill('0912345678');
  await fillRecipient(page);
  await walletButton(page, 'Pay with Google Pay').click();
  const sheet = page.getByRole('dialog', { name: 'Google Pay (simulated)' });
  await sheet.waitFor();
  await j.check(page, 'googlepay-sheet-390-en');
  await page.keyboard.press('Escape');
  await page
    .getByText('You cancelled Google Pay; nothing was charged.', { exact: false })
    .waitFor();
  await walletButton(page, 'Pay with Google Pay').click();
  await sheet.getByRole('button', { name: 'Simulate a decline' }).click();
  await page.getByText('Google Pay declined the payment', { exact: false }).waitFor();
  await j.check(page, 'googlepay-declined-390-en');
  await walletButton(page, 'Pay with Apple Pay').click();
  await page
    .getByRole('dialog', { name: 'Apple Pay (simulated)' })
    .getByRole('button', { name: 'Pay', exact: true })
    .click();
  await page.getByText('Payment successful!').waitFor({ timeout: 20_000 });
  await j.check(page, 'applepay-paid-390-en');

  // Order 4: Google Pay, paid (back to Chinese at 1280 px).
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.evaluate(() => localStorage.setItem('pas_lang', 'zh-TW'));
  await hold(page, fourth!);
  await walletButton(page, '使用 Google Pay 付款').click();
  await page
    .getByRole('dialog', { name: 'Google Pay（模擬）' })
    .getByRole('button', { name: '付款', exact: true })
    .click();
  await page.getByText('付款成功！').waitFor({ timeout: 20_000 });
}
