// The journeys of issue 8, driven through the real UI in Chromium. Data the journey is not about
// (a seller's listing that should light up a fan's bell) is set up through the API.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import sharp from 'sharp';
import { DEMO_ADMIN_TOTP_SECRET } from '../server/src/modules/demo/demo-data.ts';
import { totpCode } from '../server/src/modules/accounts/totp.ts';
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  fillRecipient,
  RESULTS_DIR,
  taipeiDate,
  uniqueEmail,
  type Journey,
} from './lib.ts';
import { walletsAtCheckout } from './wallets-journey.ts';

interface GameLite {
  id: string;
  localDate: string;
  startsAt: string;
  status: string;
  listingCount: number;
  minPrice: number | null;
  stadium: { id: string };
}
interface AreaLite {
  id: string;
  faceValueMin: number;
  faceValueMax: number;
}

const PASSWORD = 'correct-horse-42';

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

async function upcomingGames(j: Journey, days = 30): Promise<GameLite[]> {
  const { items } = await j.api.request<{ items: GameLite[] }>(
    'GET',
    `/api/games?from=${taipeiDate(0)}&to=${taipeiDate(days)}`,
  );
  const soon = Date.now() + 3 * 3_600_000;
  return items.filter((g) => g.status === 'scheduled' && Date.parse(g.startsAt) > soon);
}

async function gameAreas(j: Journey, gameId: string): Promise<AreaLite[]> {
  return (await j.api.request<{ areas: AreaLite[] }>('GET', `/api/games/${gameId}`)).areas;
}

async function registerViaUi(j: Journey, page: Page, prefix: string) {
  const email = uniqueEmail(prefix);
  const name = `${prefix}${Math.random().toString(36).slice(2, 5)}`;
  await page.goto('/register');
  await page.getByLabel('暱稱').fill(name);
  await page.getByLabel('電子郵件').fill(email);
  await page.getByLabel('密碼').fill(PASSWORD);
  await j.check(page, `${prefix}-register`);
  await page.locator('form').getByRole('button', { name: '註冊' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/register'));
  await page.locator('.account-trigger').waitFor();
  await verifyViaOutbox(j, page, email);
  return { email, name };
}

/** Opens the verification link the new account was mailed (selling and checkout need it). */
async function verifyViaOutbox(j: Journey, page: Page, email: string) {
  if (!j.api.outboxDir) return;
  const back = page.url();
  await page.goto(await j.api.linkFromOutbox(email, '/verify-email'));
  await page.getByText('電子郵件已驗證').waitFor();
  await page.goto(back);
}

async function loginViaUi(page: Page, email: string) {
  await page.goto('/login');
  await page.getByLabel('電子郵件').fill(email);
  await page.getByLabel('密碼').fill(PASSWORD);
  await page.locator('form').getByRole('button', { name: '登入' }).click();
  await page.locator('.account-trigger').waitFor();
}

async function makePhoto(): Promise<string> {
  const file = path.join(RESULTS_DIR, 'ticket-photo.png');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="500">
    <rect width="800" height="500" fill="#0b3d91"/><rect x="40" y="40" width="720" height="420" rx="24" fill="#fff"/>
    <text x="400" y="230" font-size="64" text-anchor="middle" fill="#c8102e" font-family="sans-serif">CPBL TICKET</text>
    <text x="400" y="320" font-size="40" text-anchor="middle" fill="#0b3d91" font-family="sans-serif">SEC B12 ROW 3</text></svg>`;
  writeFileSync(file, await sharp(Buffer.from(svg)).png().toBuffer());
  return file;
}

/** Fills the sell form for the game already chosen; returns the face value used. */
async function fillSellForm(page: Page, area: AreaLite, options: { photo?: string } = {}) {
  await page.locator('#sell-areaId').selectOption(area.id);
  await page.locator('#sell-section').fill('B12');
  await page.locator('#sell-row').fill('3');
  await page.locator('#sell-seats').fill('7-8');
  await page.locator('#sell-quantity').selectOption('2');
  const face = area.faceValueMin;
  await page.locator('#sell-faceValue').fill(String(face));
  // The cap is checked live: above face value is refused before anything is sent.
  await page.locator('#sell-price').fill(String(face + 100));
  await page.getByText('售價不可高於票面價格').first().waitFor();
  await page.locator('#sell-price').fill(String(Math.max(1, Math.floor(face * 0.9))));
  await page
    .getByText(/原價 \d+%/)
    .first()
    .waitFor();
  await page.locator('#sell-note').fill('<script>alert(1)</script> 交給你了 <b>!</b>');
  if (options.photo) {
    await page.locator('input[type=file]').setInputFiles(options.photo);
    await page.locator('.photo-previews img').first().waitFor();
  }
  return face;
}

async function payWithCard(page: Page, card: string) {
  // The page is ready (order loaded, card form shown) before asking whether it wants a recipient.
  await page.getByLabel('卡號').waitFor();
  await fillRecipient(page);
  await page.getByLabel('卡號').fill(card);
  await page.getByLabel('有效期限').fill('1230');
  await page.getByLabel('安全碼').fill('123');
  await page.getByLabel('手機號碼').fill('0912345678');
  await page.getByRole('button', { name: '確認付款' }).click();
}

// 1. A visitor browses calendar → game → listing.
export async function visitorBrowses(j: Journey) {
  const page = await j.newPage();
  await page.goto('/');
  await page.locator('.rdp-month_grid').waitFor();
  await page.locator('.rdp-day.has-games').first().waitFor();
  await j.check(page, 'home');

  const games = (await upcomingGames(j)).filter((g) => g.listingCount > 0);
  assert(games.length > 0, 'demo data has no upcoming game with tickets');
  const game = games[0]!;
  if (game.localDate.slice(0, 7) !== taipeiDate(0).slice(0, 7)) {
    await page.locator('.rdp-button_next').click();
  }
  const day = page.locator(`[data-day="${game.localDate}"]:not([data-outside]) button`);
  await day.click();
  // Keyboard: the grid moves focus with the arrow keys.
  await page.keyboard.press('ArrowRight');
  const focused = await page.evaluate(() =>
    document.activeElement?.closest('[data-day]')?.getAttribute('data-day'),
  );
  assert(focused && focused > game.localDate, `arrow key did not move focus (${focused})`);
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Enter');
  const card = page.locator(`.day-section a[href="/games/${game.id}"]`);
  await card.waitFor();
  await j.check(page, 'home-day-selected');
  await card.click();

  await page.waitForURL(`**/games/${game.id}`);
  await page.locator('.listing-row').first().waitFor();
  await page.getByRole('heading', { name: '各區行情' }).waitFor();
  await j.check(page, 'game');
  await page.getByLabel('排序').selectOption('-price');
  await page.waitForURL(/sort=-price/);
  await page.locator('.listing-row').first().waitFor();
  await page.locator('.listing-row').first().click();

  await page.waitForURL('**/listings/**');
  await page
    .getByText(/原價 \d+%/)
    .first()
    .waitFor();
  await page.locator('.buy-button').waitFor();
  await j.check(page, 'listing');

  await page.goto('/no-such-page');
  await page.getByRole('heading', { name: '找不到這個頁面' }).waitFor();
  await j.check(page, 'not-found');
}

// 2. A seller registers and lists a ticket with a photo.
export async function sellerLists(j: Journey) {
  const page = await j.newPage();
  await registerViaUi(j, page, 'seller');
  await page.getByRole('link', { name: '我要賣票' }).first().click();
  await page.waitForURL('**/sell');
  const first = page.locator('.game-option').first();
  await first.waitFor();
  await j.check(page, 'sell-pick-game');
  await first.click();
  await page.waitForURL(/\/sell\?game=/);
  const gameId = new URL(page.url()).searchParams.get('game')!;
  const areas = await gameAreas(j, gameId);
  await page.locator('#sell-areaId').waitFor();
  await fillSellForm(page, areas[0]!, { photo: await makePhoto() });
  await j.check(page, 'sell-form');
  await page.getByRole('button', { name: '刊登票券' }).click();
  await page.getByText('刊登成功！').waitFor();
  await j.check(page, 'sell-done');
  await page.getByRole('link', { name: '查看我的票' }).click();
  await page.waitForURL('**/listings/**');
  const img = page.locator('img.gallery-main');
  await img.waitFor();
  // Attached is not loaded: wait for the image to finish (or fail) before judging it.
  const loaded = await img.evaluate((el: HTMLImageElement) =>
    el.complete
      ? el.naturalWidth > 0
      : new Promise<boolean>((resolve) => {
          el.addEventListener('load', () => resolve(el.naturalWidth > 0), { once: true });
          el.addEventListener('error', () => resolve(false), { once: true });
        }),
  );
  assert(loaded, 'the listing photo did not load');
  // The note with HTML in it shows as text, never as markup.
  await page.getByText('<script>alert(1)</script>', { exact: false }).waitFor();
  assert((await page.locator('.listing-detail b').count()) === 0, 'note was injected as HTML');
  await j.check(page, 'listing-with-photo');
}

// 3. Reserve → bell lights up live → buy with the simulated card (recipient phone) → the seller
// sees it and writes, the buyer reads it live → seller sends with proof → confirm → rate.
export async function reserveBuyConfirmRate(j: Journey) {
  const fan = await j.newPage();
  const fanAccount = await registerViaUi(j, fan, 'fan');
  const games = await upcomingGames(j, 40);
  const game = games[Math.min(3, games.length - 1)];
  assert(game, 'no upcoming game to reserve');
  const areas = await gameAreas(j, game.id);

  await fan.goto(`/games/${game.id}`);
  await fan
    .getByRole('link', { name: /有票通知我/ })
    .first()
    .click();
  await fan.waitForURL(`**/reserve/${game.id}`);
  await fan.getByLabel('每張最高價格（選填）').fill(String(areas[0]!.faceValueMax));
  await j.check(fan, 'reserve-form');
  await fan.getByRole('button', { name: '開始通知' }).click();
  await fan.getByText('已設定有票通知').waitFor();
  // Push is offered, and nothing is asked until the fan presses the button.
  await fan.getByText('也用推播通知我？').waitFor();
  await j.check(fan, 'reserve-done');

  await fan.goto('/');
  await fan.locator('.bell-button[data-stream="live"]').waitFor({ timeout: 15_000 });
  const before = Number(await fan.locator('.bell-button').getAttribute('data-unread'));

  const seller = await j.api.register('bellseller');
  const listing = await j.api.request<{ id: string }>(
    'POST',
    '/api/listings',
    {
      gameId: game.id,
      areaId: areas[0]!.id,
      section: 'C3',
      row: '5',
      seats: '11-12',
      quantity: 2,
      price: areas[0]!.faceValueMin,
      faceValue: areas[0]!.faceValueMin,
      deliveryMethod: 'eticket_transfer',
      note: 'e2e',
    },
    seller.token,
  );
  j.log(`listing ${listing.id} created; waiting for the bell`);
  await fan.waitForFunction(
    (n) => Number(document.querySelector('.bell-button')?.getAttribute('data-unread')) > n,
    before,
    { timeout: 20_000 },
  );
  await j.check(fan, 'bell-lit');
  await fan.locator('.bell-button').click();
  await fan.locator('.bell-menu .notification').first().waitFor();
  await fan.screenshot({ path: path.join(RESULTS_DIR, 'journey-3-bell-open.png') });
  await fan.locator('.bell-menu .notification').first().click();
  await fan.waitForURL((url) => url.pathname !== '/');
  if (!fan.url().includes(`/listings/${listing.id}`)) await fan.goto(`/listings/${listing.id}`);

  await fan.locator('.buy-button').click();
  await fan.waitForURL('**/checkout/**');
  await fan.locator('.countdown').waitFor();
  await j.check(fan, 'checkout');
  await payWithCard(fan, '4242 4242 4242 4242');
  await fan.getByText('付款成功！').waitFor();
  // The card form went away: keyboard focus is on the result, not lost (issue 21 item 7).
  await fan.waitForFunction(() => document.activeElement?.textContent?.includes('付款成功'));
  await j.check(fan, 'paid');

  // Issue 18: the buyer waits on the order page (their own browser); the seller, in another,
  // sees the phone number the buyer gave at checkout and writes; the buyer reads it live.
  const orderId = new URL(fan.url()).pathname.split('/').pop()!;
  await fan.goto(`/me/orders/${orderId}`);
  await fan.getByRole('heading', { name: '與對方的訂單對話' }).waitFor();
  await fan.locator('.bell-button[data-stream="live"]').waitFor();
  const sellerPage = await j.newPage();
  await loginViaUi(sellerPage, seller.email);
  await sellerPage.goto(`/me/orders/${orderId}?role=seller`);
  await sellerPage.locator('.recipient-view strong', { hasText: '0912345678' }).waitFor();
  await j.check(sellerPage, 'seller-sees-recipient');
  await sellerPage.getByRole('textbox', { name: '訊息' }).fill('收到，今晚會在球團 App 轉贈給你。');
  await sellerPage.getByRole('button', { name: '送出' }).click();
  await fan
    .locator('.message-body', { hasText: '今晚會在球團 App 轉贈給你' })
    .waitFor({ timeout: 20_000 });
  await j.check(fan, 'buyer-reads-message-live');
  await sellerPage.goto('/me/orders?role=seller');
  await sellerPage.getByRole('button', { name: '標記已寄出' }).first().click();
  // An e-ticket is marked sent with a screenshot of the transfer (issue 18 item 4).
  await sellerPage.getByLabel('轉贈截圖').setInputFiles(await makePhoto());
  await sellerPage.locator('.proof-preview').waitFor();
  await sellerPage.locator('.inline-form textarea').fill('已在球團 App 轉贈，請查收');
  await j.check(sellerPage, 'seller-proof-form');
  // The form and its preview fit a 360 px phone (no sideways scroll), axe clean.
  const sellerSize = sellerPage.viewportSize();
  await sellerPage.setViewportSize({ width: 360, height: 780 });
  await j.check(sellerPage, 'seller-proof-form-360');
  if (sellerSize) await sellerPage.setViewportSize(sellerSize);
  await sellerPage.locator('.inline-form').getByRole('button', { name: '標記已寄出' }).click();
  await sellerPage.locator('.badge', { hasText: '已寄出' }).first().waitFor();
  await j.check(sellerPage, 'seller-sent');

  // The buyer sees the proof, served privately to the signed-in buyer (not a /media URL).
  await fan.goto('/me/orders');
  await fan.getByRole('link', { name: '查看詳情與進度' }).first().click();
  const proofPhoto = fan.locator('img.proof-photo');
  await proofPhoto.waitFor();
  await fan.waitForFunction(() => {
    const img = document.querySelector<HTMLImageElement>('img.proof-photo');
    return Boolean(img?.complete && img.naturalWidth > 0);
  });
  if (!(await proofPhoto.getAttribute('src'))?.startsWith('/api/orders/'))
    throw new Error('the proof photo is not served by the private route');
  await j.check(fan, 'buyer-sees-proof');
  const fanSize = fan.viewportSize();
  await fan.setViewportSize({ width: 360, height: 780 });
  await j.check(fan, 'buyer-sees-proof-360');
  if (fanSize) await fan.setViewportSize(fanSize);
  await fan.getByRole('button', { name: '確認收到票' }).first().click();
  // Releasing the money is irreversible: a dialog states it and the amount first (issue 21).
  const confirmDialog = fan.getByRole('dialog', { name: '確認已收到票？' });
  await confirmDialog.getByText(/NT\$/).waitFor();
  await j.check(fan, 'confirm-dialog');
  await confirmDialog.getByRole('button', { name: '確認收到票' }).click();
  await fan.locator('.badge', { hasText: '已完成' }).first().waitFor();
  await fan.getByRole('button', { name: '評價賣家' }).first().click();
  await fan.locator('.star-input label').nth(4).click();
  await fan.locator('.inline-form textarea').fill('很快就轉票了，推薦！');
  await j.check(fan, 'rate-form');
  await fan.getByRole('button', { name: '送出評價' }).click();
  await fan.getByText('完成').first().waitFor();
  await fan.goto(`/users/${seller.id}`);
  await fan.getByText('很快就轉票了，推薦！').waitFor();
  await j.check(fan, 'seller-profile');
  j.log(`fan ${fanAccount.email} rated seller ${seller.email}`);
}

// 4. A declined card, then success.
export async function declinedThenSuccess(j: Journey) {
  const page = await j.newPage();
  await registerViaUi(j, page, 'buyer');
  const games = (await upcomingGames(j)).filter((g) => g.listingCount > 0);
  let listingId: string | undefined;
  for (const g of games.slice(5)) {
    const { items } = await j.api.request<{ items: { id: string }[] }>(
      'GET',
      `/api/games/${g.id}/listings?limit=1&sort=-price`,
    );
    if (items[0]) {
      listingId = items[0].id;
      break;
    }
  }
  assert(listingId, 'no active listing to buy');
  await page.goto(`/listings/${listingId}`);
  // The buyer guarantee (issue 21 item 14), from the listing and again from checkout.
  await page
    .getByRole('link', { name: /^買家保障/ })
    .first()
    .click();
  await page.getByRole('heading', { name: '款項由平台代管' }).waitFor();
  await page.getByText(/10 到 50 倍/).waitFor();
  await j.check(page, 'guarantee');
  await page.goBack();
  await page.locator('.buy-button').click();
  await page.waitForURL('**/checkout/**');
  const checkoutUrl = page.url();
  await page
    .locator('.order-summary')
    .getByRole('link', { name: /^買家保障/ })
    .click();
  await page.getByRole('heading', { name: '買家保障', level: 1 }).waitFor();
  await page
    .getByRole('link', { name: /說明與聯絡/ })
    .first()
    .click();
  await page.getByRole('heading', { name: '說明與聯絡', level: 1 }).waitFor();
  await j.check(page, 'help');
  await page.goto(checkoutUrl);
  await payWithCard(page, '4000 0000 0000 0002');
  await page.getByText('刷卡未成功').first().waitFor();
  await j.check(page, 'declined');
  await payWithCard(page, '4242 4242 4242 4242');
  await page.getByText('付款成功！').waitFor();
  await j.check(page, 'paid-after-decline');
  await page.getByRole('link', { name: '查看訂單' }).click();
  await page.locator('.timeline').waitFor();
  await j.check(page, 'order-timeline');
}

// 5. The English switch (persists; <html lang> follows).
export async function englishSwitch(j: Journey) {
  const page = await j.newPage();
  await page.goto('/');
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Game calendar' }).waitFor();
  assert((await page.getAttribute('html', 'lang')) === 'en', 'html lang did not follow');
  await j.check(page, 'home-en');
  await page.reload();
  await page.getByRole('heading', { name: 'Game calendar' }).waitFor();
  const games = (await upcomingGames(j)).filter((g) => g.listingCount > 0);
  await page.goto(`/games/${games[0]!.id}`);
  await page.getByRole('heading', { name: 'Tickets', exact: true }).waitFor();
  await page
    .getByText(/Going prices/)
    .first()
    .waitFor();
  await j.check(page, 'game-en');
  await page.locator('.listing-row').first().click();
  await page
    .getByText(/% of face value/)
    .first()
    .waitFor();
  await j.check(page, 'listing-en');
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('button', { name: /購買/ }).waitFor();
  assert((await page.getAttribute('html', 'lang')) === 'zh-TW', 'html lang did not switch back');
}

// 6. The sell flow on a phone-sized screen (360 px, no horizontal scroll).
export async function sellOnPhone(j: Journey) {
  const page = await j.newPage({ width: 360, height: 740, mobile: true });
  await page.goto('/');
  await page.locator('.rdp-month_grid').waitFor();
  await j.check(page, 'home-360');
  await registerViaUi(j, page, 'phone');
  await page.goto('/sell');
  await page.getByRole('button', { name: '月曆' }).click();
  await page.locator('.rdp-month_grid').waitFor();
  await j.check(page, 'sell-calendar-360');
  await page.getByRole('button', { name: '依球隊與日期' }).click();
  await page.locator('.game-option').first().click();
  await page.waitForURL(/\/sell\?game=/);
  const gameId = new URL(page.url()).searchParams.get('game')!;
  const areas = await gameAreas(j, gameId);
  await page.locator('#sell-areaId').waitFor();
  await fillSellForm(page, areas[areas.length - 1]!);
  await j.check(page, 'sell-form-360');
  await page.getByRole('button', { name: '刊登票券' }).click();
  await page.getByText('刊登成功！').waitFor();
  await j.check(page, 'sell-done-360');
  await page.goto('/me/listings');
  await page.locator('.my-listing').first().waitFor();
  await j.check(page, 'my-listings-360');
}

// 8. 3-D Secure: the card asks for verification, the bank page approves, checkout shows paid.
export async function threeDSecure(j: Journey) {
  const page = await j.newPage();
  await registerViaUi(j, page, 'threeds');
  const games = (await upcomingGames(j)).filter((g) => g.listingCount > 0);
  let listingId: string | undefined;
  for (const g of games.slice(2)) {
    const { items } = await j.api.request<{ items: { id: string }[] }>(
      'GET',
      `/api/games/${g.id}/listings?limit=1&sort=newest`,
    );
    if (items[0]) {
      listingId = items[0].id;
      break;
    }
  }
  assert(listingId, 'no active listing to buy');
  await page.goto(`/listings/${listingId}`);
  await page.locator('.buy-button').click();
  await page.waitForURL('**/checkout/**');
  const checkoutUrl = page.url();
  await payWithCard(page, '4000 0000 0000 3220');
  await page.waitForURL('**/_sim/tappay/3ds/**');
  await page.screenshot({ path: path.join(RESULTS_DIR, 'journey-8-3ds-bank-page.png') });
  await page.getByRole('button', { name: /Approve/ }).click();
  await page.waitForURL(checkoutUrl);
  await page.getByText('付款成功！').waitFor({ timeout: 20_000 });
  await j.check(page, 'paid-after-3ds');
}

// 7. The member centre and the admin pages, with the demo accounts (README: demo data only).
export async function memberCentreAndAdmin(j: Journey) {
  const page = await j.newPage();
  await loginWithPassword(page, 'fan@demo.pitchaseat.tw', 'demo-password');
  await page.goto('/me/orders');
  await page.locator('.order-card, .empty').first().waitFor();
  await j.check(page, 'my-orders');
  await page.goto('/me/reservations');
  await page.locator('.order-list, .empty').first().waitFor();
  await j.check(page, 'my-reservations');
  await page.goto('/me/notifications');
  await page.locator('.notification-list, .empty').first().waitFor();
  // Notification settings: a checkbox per type and channel, saved with the keyboard.
  const box = page.getByRole('checkbox', { name: '訂單已付款：推播' });
  const before = await box.isChecked();
  await box.focus();
  await page.keyboard.press('Space');
  await page.getByRole('button', { name: '儲存通知設定' }).focus();
  await page.keyboard.press('Enter');
  await page.locator('.prefs [role=status]').waitFor();
  await page.reload();
  assert(
    (await page.getByRole('checkbox', { name: '訂單已付款：推播' }).isChecked()) === !before,
    'notification setting not saved',
  );
  // Quiet hours (issue 19), by keyboard: on, 22:00–07:00 by default, saved and shown again.
  const quiet = page.getByRole('checkbox', { name: '開啟勿擾時段' });
  if (!(await quiet.isChecked())) {
    await quiet.focus();
    await page.keyboard.press('Space');
  }
  await page.getByLabel('結束').fill('06:30');
  await page.getByRole('button', { name: '儲存通知設定' }).focus();
  await page.keyboard.press('Enter');
  await page.locator('.prefs [role=status]').waitFor();
  await page.reload();
  assert((await page.getByLabel('結束').inputValue()) === '06:30', 'quiet hours not saved');
  await j.check(page, 'my-notifications');
  await page.goto('/me/profile');
  await page.getByLabel('銀行代碼（3 碼）').fill('812');
  await page.getByLabel('帳號（8-16 碼）').fill('1234567890123');
  await page.getByLabel('分行代碼（4 碼）').fill('0012');
  await page.getByLabel('戶名（與銀行登記相同）').fill('王小明');
  await page.getByRole('button', { name: '儲存' }).click();
  await page.getByText('已儲存。').waitFor();
  await page.getByText(/帳號 \S*0123/).waitFor();
  await j.check(page, 'profile');
  await page.goto('/me/earnings');
  await page.getByRole('heading', { name: '收入', level: 1 }).waitFor();
  await page.locator('.earnings-totals').waitFor();
  await j.check(page, 'earnings');

  const admin = await j.newPage();
  // Admins sign in with a code: the demo admin's secret is documented (README).
  await loginWithPassword(
    admin,
    'admin@demo.pitchaseat.tw',
    'demo-password',
    DEMO_ADMIN_TOTP_SECRET,
  );
  await admin.goto('/admin');
  await admin.locator('.admin-game, .empty').first().waitFor();
  await j.check(admin, 'admin-games');
  for (const tab of ['賽程同步', '爭議', '交付狀況', '撥款', '下架與停權']) {
    await admin.getByRole('button', { name: tab }).click();
    await admin.waitForTimeout(300);
    await j.check(admin, `admin-${tab}`);
  }
  // Find an account by the start of its e-mail (issue 21 item 10), with the keyboard.
  await admin.getByRole('searchbox', { name: '找使用者' }).fill('fan@demo');
  await admin.keyboard.press('Enter');
  await admin
    .getByRole('button', { name: /^停權 / })
    .first()
    .waitFor();
  await j.check(admin, 'admin-find-user');
}

/**
 * The demo admin's API token: password, then a code from the documented TOTP secret. A code is
 * good once per 30 s step, and an earlier journey may have spent this step's: the next step's code
 * (accepted one step early) is asked for, and after a refusal the one after that.
 */
async function demoAdminToken(j: Journey): Promise<string> {
  const post = (url: string, body: unknown) =>
    fetch(`${j.baseUrl}${url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  for (let attempt = 0; attempt < 3; attempt++) {
    const login = await post('/api/auth/login', {
      email: 'admin@demo.pitchaseat.tw',
      password: 'demo-password',
    });
    const { error } = (await login.json()) as { error?: { details?: { challenge?: string } } };
    const challenge = error?.details?.challenge;
    assert(
      login.status === 401 && challenge,
      `admin sign-in did not ask for a code (${login.status})`,
    );
    const code = totpCode(DEMO_ADMIN_TOTP_SECRET, new Date(Date.now() + 30_000));
    const res = await post('/api/auth/login/totp', { challenge, code });
    if (res.ok) return ((await res.json()) as { token: string }).token;
    await new Promise((r) => setTimeout(r, 30_000));
  }
  throw new Error('the demo admin could not sign in with a code');
}

// 9. A postponed game (issue 25) shows the same everywhere: the calendar advertises no tickets,
// the game page lists none and offers no selling, the sell picker leaves it out; all three read
// the server's onSale/canList. An operator postpones it through the API and restores it after.
export async function postponedGameConsistent(j: Journey) {
  const games = (await upcomingGames(j)).filter((g) => g.listingCount > 0);
  assert(games.length > 1, 'demo data has too few upcoming games with tickets');
  const game = games[games.length - 1]!;
  const sameDay = games.filter((g) => g.localDate === game.localDate && g.id !== game.id);
  const token = await demoAdminToken(j);
  await j.api.request('PATCH', `/api/admin/games/${game.id}`, { status: 'postponed' }, token);
  try {
    const page = await j.newPage();
    // Calendar: the day's card says 延賽 and no price.
    await page.goto('/');
    await page.locator('.rdp-month_grid').waitFor();
    const months =
      (Number(game.localDate.slice(0, 4)) - Number(taipeiDate(0).slice(0, 4))) * 12 +
      Number(game.localDate.slice(5, 7)) -
      Number(taipeiDate(0).slice(5, 7));
    for (let i = 0; i < months; i++) await page.locator('.rdp-button_next').click();
    await page.locator(`[data-day="${game.localDate}"]:not([data-outside]) button`).click();
    const card = page.locator(`.day-section a[href="/games/${game.id}"]`);
    await card.waitFor();
    await card.getByText('延賽').waitFor();
    const cardText = (await card.textContent()) ?? '';
    assert(!/NT\$/.test(cardText), `the calendar still advertises tickets: ${cardText}`);
    await j.check(page, 'postponed-calendar');

    // Game page: no listings, no selling or reserving, and the reason.
    await card.click();
    await page.waitForURL(`**/games/${game.id}`);
    await page.locator('.notice').first().waitFor();
    assert((await page.locator('.listing-row').count()) === 0, 'the game page lists tickets');
    assert(
      (await page.locator(`a[href^="/sell?game=${game.id}"]`).count()) === 0,
      'the game page offers selling',
    );
    await j.check(page, 'postponed-game');

    // Sell picker: the game is not offered; other games of that day are.
    await registerViaUi(j, page, 'postponed');
    await page.goto('/sell');
    await page.locator('input[type="date"]').fill(game.localDate);
    if (sameDay.length > 0)
      await page.locator(`.game-option[data-game-id="${sameDay[0]!.id}"]`).waitFor();
    else await page.locator('.game-option, .empty').first().waitFor();
    assert(
      (await page.locator(`.game-option[data-game-id="${game.id}"]`).count()) === 0,
      'the sell picker offers the postponed game',
    );
    await j.check(page, 'postponed-sell-picker');
  } finally {
    await j.api.request(
      'PATCH',
      `/api/admin/games/${game.id}`,
      { status: 'scheduled', startsAt: game.startsAt },
      token,
    );
  }
}

async function loginWithPassword(
  page: Page,
  email: string,
  password: string,
  totpSecret?: string,
  stepsAhead = 0,
) {
  await page.goto('/login');
  await page.getByLabel('電子郵件').fill(email);
  await page.getByLabel('密碼').fill(password);
  await page.locator('form').getByRole('button', { name: '登入' }).click();
  if (totpSecret) {
    await page
      .getByLabel('驗證碼')
      .fill(totpCode(totpSecret, new Date(Date.now() + stepsAhead * 30_000)));
    await page.locator('form').getByRole('button', { name: '驗證' }).click();
  }
  await page.locator('.account-trigger').waitFor();
}

/** An active listing of an upcoming game, skipping the first `skip` such games. */
async function someListing(j: Journey, skip: number): Promise<{ id: string; price: number }> {
  const games = (await upcomingGames(j, 40)).filter((g) => g.listingCount > 0);
  for (const g of games.slice(skip)) {
    const { items } = await j.api.request<{ items: { id: string; price: number }[] }>(
      'GET',
      `/api/games/${g.id}/listings?limit=1`,
    );
    if (items[0]) return items[0];
  }
  throw new Error('no active listing');
}

/** The keyboard focus ring (the amber --focus shadow) is visible on the focused element. */
async function tabTo(page: Page, selector: string) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector))
      return;
  }
  throw new Error(`Tab never reached ${selector}`);
}
const focusRing = (page: Page) =>
  page.evaluate(() => getComputedStyle(document.activeElement!).boxShadow);

// 9. Issue 21 at 1280 px and 390 px: Back from checkout finds the buyer's own hold; cards show the
// keyboard focus ring; a seller's refund waits for a dialog with the amount and a reason, which
// lands on the timeline; the same in English.
export async function fanFixes(j: Journey) {
  for (const [index, size] of [
    { width: 1280, height: 900 },
    { width: 390, height: 844, mobile: true },
  ].entries()) {
    const tag = `${size.width}`;
    const page = await j.newPage(size);
    await registerViaUi(j, page, `hold${tag}-`);

    // Items 5 and 7: the day panel follows the month; "today" returns; on a phone, tapping a day
    // brings its games into view.
    await page.goto('/');
    await page.locator('.rdp-day.has-games').first().waitFor();
    await page.locator('.rdp-button_next').click();
    await page.waitForURL(/day=\d{4}-\d{2}-01/);
    const nextMonth = new URL(page.url()).searchParams.get('month')!;
    assert(
      new URL(page.url()).searchParams.get('day')!.startsWith(nextMonth),
      `${tag}: the day panel stayed in the old month`,
    );
    await page.locator('.today-button').click();
    await page.waitForURL((url) => url.searchParams.get('day') === taipeiDate(0));
    const gameDay = page.locator('.rdp-day.has-games:not([data-outside]) button').last();
    await gameDay.click();
    await page.waitForTimeout(900);
    const dayTitle = (await page.locator('#day-title').boundingBox())!;
    // Below the sticky header, not under it (and on screen).
    const header = (await page.locator('.site-header').boundingBox())!;
    const headerBottom = header.y + header.height;
    assert(
      dayTitle.y >= headerBottom - 1 && dayTitle.y < size.height,
      `${tag}: the chosen day's games are off-screen or under the header (title at ${dayTitle.y}px, header ends at ${headerBottom}px)`,
    );
    await page.screenshot({ path: path.join(RESULTS_DIR, `journey-9-${tag}-day-tapped.png`) });

    // Item 2: the focus ring on a listing row (the same rule serves game and recommendation cards).
    const withTickets = (await upcomingGames(j)).filter((g) => g.listingCount > 0);
    await page.goto(`/games/${withTickets[index]!.id}`);
    await page.locator('.listing-row').first().waitFor();
    await tabTo(page, '.listing-row');
    assert(
      (await focusRing(page)).includes('rgb(255, 191, 71)'),
      `${tag}: no focus ring on a listing row`,
    );
    await page.locator(':focus').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(RESULTS_DIR, `journey-9-${tag}-focus-card.png`) });

    // Item 1: Buy, then Back: the listing is held for this buyer, with the time left.
    const listing = await someListing(j, 2 + index * 3);
    await page.goto(`/listings/${listing.id}`);
    // Item 8: Buy is on screen without scrolling (a sticky bar on phones).
    const buyBox = (await page.locator('.buy-button').boundingBox())!;
    await page.screenshot({ path: path.join(RESULTS_DIR, `journey-9-${tag}-listing-fold.png`) });
    assert(
      buyBox.y + buyBox.height <= size.height,
      `${tag}: Buy is below the fold (${buyBox.y + buyBox.height} > ${size.height})`,
    );
    await page.locator('.buy-button').click();
    await page.waitForURL('**/checkout/**');
    const checkoutUrl = page.url();
    await page.locator('.countdown').waitFor();
    // Item 8: what is being bought comes before the card form (above it on a phone).
    const summaryBox = (await page.locator('.order-summary').boundingBox())!;
    const formBox = (await page.locator('.card-form').boundingBox())!;
    assert(
      size.width >= 860 ? summaryBox.x > formBox.x : summaryBox.y < formBox.y,
      `${tag}: the order summary is not before the card form`,
    );
    await page.screenshot({ path: path.join(RESULTS_DIR, `journey-9-${tag}-checkout-fold.png`) });
    await page.goBack();
    await page.waitForURL(`**/listings/${listing.id}`);
    await page.getByText(/這張票正為你保留中（剩 \d+:\d\d）/).waitFor();
    await j.check(page, `${tag}-held-for-you`);
    await page.getByRole('link', { name: '繼續付款' }).click();
    await page.waitForURL(checkoutUrl);
    await page.locator('.countdown').waitFor();

    await page.goto(`/listings/${listing.id}`);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText(/held for you \(\d+:\d\d left\)/).waitFor();
    await j.check(page, `${tag}-held-for-you-en`);
    await page.getByRole('button', { name: '中文' }).click();

    // Item 3: the seller's "cannot send, refund" asks first, with the amount and a reason.
    const seller = await j.api.register(`refund${tag}-`);
    const buyer = await j.api.register(`paid${tag}-`);
    const games = await upcomingGames(j, 40);
    const game = games[Math.min(6 + index, games.length - 1)]!;
    const area = (await gameAreas(j, game.id))[0]!;
    const own = await j.api.request<{ id: string }>(
      'POST',
      '/api/listings',
      {
        gameId: game.id,
        areaId: area.id,
        section: 'A2',
        quantity: 2,
        price: area.faceValueMin,
        faceValue: area.faceValueMin,
        deliveryMethod: 'eticket_transfer',
      },
      seller.token,
    );
    const order = await j.api.request<{ id: string }>(
      'POST',
      '/api/orders',
      { listingId: own.id },
      buyer.token,
    );
    await j.api.request(
      'POST',
      `/api/orders/${order.id}/pay`,
      {
        prime: 'sim_approve',
        cardholder: { name: 'Paid', email: buyer.email, phoneNumber: '0912345678' },
      },
      buyer.token,
    );
    const sellerPage = await j.newPage(size);
    await loginViaUi(sellerPage, seller.email);
    await sellerPage.goto(`/me/orders/${order.id}?role=seller`);
    // Item 8: every member-centre tab is on screen.
    for (const box of await sellerPage
      .locator('.me-nav a')
      .evaluateAll((links) => links.map((a) => a.getBoundingClientRect().right))) {
      assert(box <= size.width, `${tag}: a member-centre tab is cut off (${box}px)`);
    }
    await sellerPage.getByRole('button', { name: '無法出貨，取消並退款' }).first().click();
    const dialog = sellerPage.getByRole('dialog', { name: '無法出貨，取消並退款？' });
    await dialog.getByText(`NT$${(area.faceValueMin * 2).toLocaleString('en-US')}`).waitFor();
    const submit = dialog.getByRole('button', { name: '無法出貨，取消並退款' });
    assert(await submit.isDisabled(), `${tag}: refund allowed without a reason`);
    await j.check(sellerPage, `${tag}-refund-dialog`);
    await dialog.getByRole('textbox').fill('票券遺失，無法轉贈');
    await submit.click();
    await sellerPage.locator('.badge', { hasText: '已退款' }).first().waitFor();
    await sellerPage.locator('.timeline').getByText('票券遺失，無法轉贈').waitFor();
    await j.check(sellerPage, `${tag}-refunded-timeline`);
  }
}

// 9. A new account's whole life: register, verify through the outbox link, turn on two-factor
// sign-in with a code computed here, sign out and back in with a code, change the password, and
// close the account.
export async function accountLifecycle(j: Journey) {
  const page = await j.newPage();
  const { email } = await registerViaUi(j, page, 'life');
  await page.goto('/me/security');
  await page.getByRole('button', { name: '設定兩步驟驗證' }).click();
  const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
  await j.check(page, 'security-totp-setup');
  await page.getByLabel('驗證碼').fill(totpCode(secret, new Date()));
  await page.getByRole('button', { name: '驗證', exact: true }).click();
  await page.getByText('兩步驟驗證已開啟。').waitFor();
  await j.check(page, 'security-recovery-codes');
  await page.locator('.account-trigger').click();
  await page.getByRole('menuitem', { name: '登出' }).click();
  // Signed out on a members' page: home, or the sign-in page that leads back to it.
  await page.waitForURL((url) => url.pathname === '/' || url.pathname === '/login');
  // The code of the next step: the one used to enrol is spent within its window.
  await loginWithPassword(page, email, PASSWORD, secret, 1);
  await page.goto('/me/security');
  const newPassword = 'a-brand-new-horse-77';
  const passwordSection = page.locator('section', { has: page.locator('#sec-password') });
  await passwordSection.getByLabel('目前的密碼').fill(PASSWORD);
  await passwordSection.getByLabel('新密碼').fill(newPassword);
  await passwordSection.getByRole('button', { name: '變更密碼' }).click();
  await page.getByText('密碼已變更，其他裝置都已登出。').waitFor();
  await j.check(page, 'security-password-changed');
  const dataSection = page.locator('section', { has: page.locator('#sec-data') });
  await dataSection.getByLabel('目前的密碼').fill(newPassword);
  await dataSection.getByLabel('我了解帳號刪除後無法復原。').check();
  await dataSection.getByRole('button', { name: '刪除我的帳號' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await page.getByRole('link', { name: '登入' }).first().waitFor();
  const gone = await fetch(`${j.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: newPassword }),
  });
  assert(gone.status === 401, `a closed account still signs in (${gone.status})`);
}

// 9. The installable web app (issue 19): the manifest is linked and valid, Chromium finds the app
// installable in zh-TW and English (DevTools protocol, no installability errors), the service worker
// registers and controls the page, and with the server gone the shell still opens (home and a
// deep link), says it is offline, and an API answer is never served from a cache. Chromium's
// offline emulation (context.setOffline) also fails the navigations the service worker would
// answer (microsoft/playwright#2311), so "offline" here is the real thing: the built app is served
// by a static server of the journey's own, which is then closed.
function serveDist(): Promise<{ url: string; close: () => Promise<void> }> {
  const dir = path.resolve('dist/web');
  const types: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
    '.webmanifest': 'application/manifest+json',
    '.json': 'application/json',
  };
  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (pathname.startsWith('/api/')) {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    let file = path.join(dir, pathname === '/' ? 'index.html' : path.normalize(pathname));
    if (!file.startsWith(dir) || !existsSync(file) || !path.extname(file)) {
      file = path.join(dir, 'app.html');
    }
    res.writeHead(200, {
      'content-type': types[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
    });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

export async function installableOffline(j: Journey) {
  const page = await j.newPage({ width: 390, height: 844, mobile: true });
  await page.goto('/');
  await page.locator('.site-header').waitFor();
  assert((await page.locator('link[rel="manifest"]').count()) === 1, 'one manifest link');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  assert(href, 'no <link rel="manifest">');
  const res = await page.request.get(new URL(href, j.baseUrl).href);
  assert(res.ok(), `manifest ${href}: HTTP ${res.status()}`);
  const manifest = (await res.json()) as {
    name?: string;
    short_name?: string;
    start_url?: string;
    display?: string;
    theme_color?: string;
    icons?: { src: string; sizes: string; type: string; purpose?: string }[];
  };
  assert(
    manifest.name?.includes('Pitch-A-Seat') && manifest.name.includes('讓座'),
    'manifest name',
  );
  assert(manifest.short_name, 'manifest short_name');
  assert(manifest.start_url === '/' && manifest.display === 'standalone', 'start_url/display');
  assert(/^#[0-9a-f]{6}$/i.test(manifest.theme_color ?? ''), 'manifest theme_color');
  const icons = manifest.icons ?? [];
  for (const size of ['192x192', '512x512']) {
    assert(
      icons.some((i) => i.sizes === size && (i.purpose ?? 'any').includes('any')),
      `no ${size} icon`,
    );
  }
  assert(
    icons.some((i) => i.purpose?.includes('maskable')),
    'no maskable icon',
  );
  for (const icon of icons) {
    const r = await page.request.get(new URL(icon.src, j.baseUrl).href);
    assert(r.ok() && r.headers()['content-type']?.startsWith('image/png'), `icon ${icon.src}`);
    const meta = await sharp(await r.body()).metadata();
    assert(`${meta.width}x${meta.height}` === icon.sizes, `icon ${icon.src} is not ${icon.sizes}`);
  }
  // Registered lazily after load (under the real server's CSP); `ready` resolves once active.
  const ready = () =>
    page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL ?? null);
  const scriptUrl = await ready();
  assert(scriptUrl?.endsWith('/sw.js'), `service worker not active (${scriptUrl})`);
  j.log(`service worker ${scriptUrl} is active`);
  // Lighthouse's installability check is Chromium's own: ask it (DevTools protocol) directly, in
  // a profile of its own (the journey's contexts are incognito, where nothing is installable).
  const profile = mkdtempSync(path.join(tmpdir(), 'pas-install-'));
  const installer = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const tab = installer.pages()[0] ?? (await installer.newPage());
    const cdp = await installer.newCDPSession(tab);
    const installable = async (lang: 'zh-TW' | 'en') => {
      await tab.goto(j.baseUrl);
      await tab.evaluate((l) => localStorage.setItem('pas_lang', l), lang);
      await tab.reload();
      // The manifest link follows the language once pwa.ts has loaded (it registers the worker).
      const want = lang === 'en' ? '/manifest.en.webmanifest' : '/manifest.webmanifest';
      await tab.waitForFunction(
        (href) => document.querySelector('link[rel="manifest"]')?.getAttribute('href') === href,
        want,
      );
      await tab.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL);
      const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
        installabilityErrors: { errorId: string }[];
      };
      assert(
        installabilityErrors.length === 0,
        `not installable (${lang}): ${installabilityErrors.map((e) => e.errorId).join(', ')}`,
      );
      const manifest = (await cdp.send('Page.getAppManifest')) as {
        url: string;
        errors: { message: string }[];
        data?: string;
      };
      assert(
        manifest.errors.length === 0,
        `manifest errors (${lang}): ${manifest.errors.map((e) => e.message).join('; ')}`,
      );
      assert(manifest.url.endsWith(want), `Chromium read ${manifest.url}, not ${want}`);
      return JSON.parse(manifest.data ?? '{}') as { name?: string; lang?: string; id?: string };
    };
    const zh = await installable('zh-TW');
    const en = await installable('en');
    assert(zh.lang === 'zh-TW' && zh.name?.includes('讓座'), `zh-TW manifest: ${zh.name}`);
    assert(
      en.lang === 'en' && en.name === 'Pitch-A-Seat' && en.id === zh.id,
      `English manifest: ${JSON.stringify(en)}`,
    );
    j.log(
      'installable in zh-TW and English: Chromium reports no installability or manifest errors',
    );
  } finally {
    await installer.close();
    rmSync(profile, { recursive: true, force: true });
  }

  // Offline: the same build from a server that then goes away.
  const dist = await serveDist();
  let closed = false;
  try {
    await page.goto(dist.url);
    await ready();
    // The next load is the worker's (a visitor's second page view).
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await dist.close();
    closed = true;
    await page.reload();
    await page.locator('.site-header .logo').waitFor();
    await page.context().setOffline(true); // the browser's own signal, for the banner
    await page.getByText('你目前離線').waitFor();
    await j.check(page, 'offline-home');
    await page.context().setOffline(false);
    // A deep link opens the shell too (navigation fallback), and /api is never answered from cache.
    await page.goto(`${dist.url}/sell`);
    await page.locator('.site-header .logo').waitFor();
    const apiOffline = await page.evaluate(() =>
      fetch('/api/meta').then(
        () => 'answered',
        () => 'failed',
      ),
    );
    assert(apiOffline === 'failed', '/api/meta was answered with the server gone (cached)');
  } finally {
    if (!closed) await dist.close();
  }
}

/**
 * Issue 22: the seat map by keyboard and by click filters the list; a buyer takes 2 of a
 * 4-ticket listing, which then shows 2 left; a season-ticket holder lists 10 games at once.
 */
export async function seatMapAndSplit(j: Journey) {
  const games = await upcomingGames(j, 40);
  const game = games[Math.min(3, games.length - 1)]!;
  const areas = await gameAreas(j, game.id);
  const seller = await j.api.register('split-seller');
  const area = areas[0]!;
  const listing = await j.api.request<{ id: string }>(
    'POST',
    '/api/listings',
    {
      gameId: game.id,
      areaId: area.id,
      section: 'S4',
      quantity: 4,
      splitRule: 'pairs',
      price: area.faceValueMin,
      faceValue: area.faceValueMin,
      deliveryMethod: 'eticket_transfer',
    },
    seller.token,
  );

  for (const size of [{ width: 1280 }, { width: 390, height: 844, mobile: true }]) {
    const page = await j.newPage(size);
    await page.goto(`/games/${game.id}`);
    const map = page.locator('.stadium-map svg');
    await map.waitFor();
    await page.getByText('示意圖：區域的形狀與位置僅供參考。').waitFor();
    await j.check(page, `map-${size.width}`);
    // Keyboard: one tab stop, arrows move, Enter selects the area and the list filters.
    await page.locator('.stadium-map [role=button][tabindex="0"]').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Enter');
    await page.waitForURL(/area=/);
    const picked = new URL(page.url()).searchParams.get('area');
    assert(picked === area.id, `keyboard picked ${picked}, expected the first area ${area.id}`);
    await page.locator(`.listing-list a[href="/listings/${listing.id}"]`).waitFor();
    // Click another area: the list follows; click it again: all areas.
    const second = page.locator('.stadium-map [role=button]').nth(1);
    await second.click();
    await page.waitForURL((u) => u.searchParams.get('area') === areas[1]!.id);
    await second.click();
    await page.waitForURL((u) => !u.searchParams.has('area'));
  }

  const buyer = await j.api.register('split-buyer');
  const page = await j.newPage();
  await loginViaUi(page, buyer.email);
  await page.goto(`/listings/${listing.id}`);
  await page.getByLabel('購買張數').selectOption('2');
  await page.locator('.buy-button').click();
  await page.waitForURL('**/checkout/**');
  const after = await j.api.request<{ remaining: number; quantity: number }>(
    'GET',
    `/api/listings/${listing.id}`,
  );
  assert(after.remaining === 2 && after.quantity === 4, `remaining ${after.remaining}`);
  const other = await j.newPage();
  await other.goto(`/listings/${listing.id}`);
  await other.getByText('（剩 2 張）').waitFor();
  await j.check(other, 'two-left');

  const holder = await j.api.register('season-holder');
  const home = games.filter((g) => g.stadium.id === game.stadium.id).slice(0, 10);
  const bulk = await j.api.request<{ created: number }>(
    'POST',
    '/api/listings/bulk',
    {
      areaId: area.id,
      section: 'B12',
      quantity: 2,
      deliveryMethod: 'eticket_transfer',
      price: { kind: 'percentOfFace', percent: 90 },
      games: home.map((g) => ({ gameId: g.id })),
    },
    holder.token,
  );
  assert(bulk.created === home.length, `bulk created ${bulk.created} of ${home.length}`);
}

// 15. Issue 18 items 6–8 at 360 px: the seller's record on a listing and on the buyer's order;
// the buyer disputes with a reason from the list and a photo, which shows on the order; an
// operator opens the case (evidence, timeline, both records), refunds with a note that the buyer
// reads on the timeline, and reads hand-over health. Each page is axe-checked without sideways
// scrolling.
export async function disputesAndScorecard(j: Journey) {
  const size = { width: 360, height: 740, mobile: true };
  const seller = await j.api.register('record-seller-');
  const buyer = await j.api.register('record-buyer-');
  const games = await upcomingGames(j, 40);
  const game = games[Math.min(8, games.length - 1)]!;
  const area = (await gameAreas(j, game.id))[0]!;
  const listing = await j.api.request<{ id: string }>(
    'POST',
    '/api/listings',
    {
      gameId: game.id,
      areaId: area.id,
      section: 'C3',
      quantity: 1,
      price: area.faceValueMin,
      faceValue: area.faceValueMin,
      deliveryMethod: 'eticket_transfer',
    },
    seller.token,
  );
  const page = await j.newPage(size);
  await loginViaUi(page, buyer.email);
  await page.goto(`/listings/${listing.id}`);
  await page.locator('.scorecard').getByText('賣家紀錄（近 90 天）').waitFor();
  await page.locator('.scorecard').getByText('準時交付').waitFor();
  await j.check(page, 'listing-scorecard-360');

  const order = await j.api.request<{ id: string }>(
    'POST',
    '/api/orders',
    { listingId: listing.id },
    buyer.token,
  );
  await j.api.request(
    'POST',
    `/api/orders/${order.id}/pay`,
    {
      prime: 'sim_approve',
      cardholder: { name: 'Record Buyer', email: buyer.email, phoneNumber: '0912345678' },
      recipient: { kind: 'phone', phone: '0912345678' },
    },
    buyer.token,
  );
  await page.goto(`/me/orders/${order.id}`);
  await page.locator('.scorecard').waitFor();
  await j.check(page, 'order-scorecard-360');
  await page.getByRole('button', { name: '提出爭議' }).click();
  const form = page.locator('.dispute-form');
  const send = form.getByRole('button', { name: '提出爭議' });
  assert(await send.isDisabled(), 'a dispute could be sent without a reason');
  await form.getByRole('radio', { name: '沒有收到票券' }).check();
  await form.locator('input[type=file]').setInputFiles(await makePhoto());
  await j.check(page, 'dispute-form-360');
  await send.click();
  const evidence = page.locator('.evidence-photos img').first();
  await evidence.waitFor();
  await page.waitForFunction(
    () => (document.querySelector('.evidence-photos img') as HTMLImageElement | null)?.naturalWidth,
  );
  await j.check(page, 'disputed-with-evidence-360');

  const admin = await j.newPage();
  await loginWithPassword(
    admin,
    'admin@demo.pitchaseat.tw',
    'demo-password',
    DEMO_ADMIN_TOTP_SECRET,
  );
  await admin.goto('/admin');
  await admin.getByRole('button', { name: '爭議', exact: true }).click();
  const card = admin.locator('.order-list > li', { hasText: buyer.name });
  await card.getByRole('button', { name: '查看案件' }).click();
  await card.locator('.dispute-detail .evidence-photos img').waitFor();
  await card.locator('.party-card').nth(1).getByText(seller.name).waitFor();
  await j.check(admin, 'admin-dispute-case');
  await card.getByRole('button', { name: '退款給買家' }).click();
  const dialog = admin.getByRole('dialog');
  await dialog.getByRole('textbox').fill('賣家未提出交付證明，全額退款');
  await dialog.getByRole('button', { name: '退款給買家' }).click();
  await card.waitFor({ state: 'detached' });
  await admin.getByRole('button', { name: '交付狀況' }).click();
  await admin.locator('#admin-health').waitFor();
  await admin.locator('.scorecard-grid dd').first().waitFor();
  await j.check(admin, 'admin-handover-health');

  await page.reload();
  await page.locator('.badge', { hasText: '已退款' }).first().waitFor();
  await page.locator('.timeline').getByText('賣家未提出交付證明，全額退款').waitFor();
  await j.check(page, 'dispute-settled-360');
}

// 16. The order conversation (issue 18 item 5) at 360 px: after payment the seller writes, the
// buyer sees it live without reloading, the seller sees "read", and a reply asking for a bank
// transfer carries a warning on the seller's screen. Both pages axe clean, no sideways scroll.
export async function orderConversation(j: Journey) {
  const seller = await j.api.register('chatseller-');
  const buyer = await j.api.register('chatbuyer-');
  const games = await upcomingGames(j, 40);
  const game = games[Math.min(9, games.length - 1)]!;
  const area = (await gameAreas(j, game.id))[0]!;
  const listing = await j.api.request<{ id: string }>(
    'POST',
    '/api/listings',
    {
      gameId: game.id,
      areaId: area.id,
      section: 'C3',
      quantity: 1,
      price: area.faceValueMin,
      faceValue: area.faceValueMin,
      deliveryMethod: 'in_person',
    },
    seller.token,
  );
  const order = await j.api.request<{ id: string }>(
    'POST',
    '/api/orders',
    { listingId: listing.id },
    buyer.token,
  );
  await j.api.request(
    'POST',
    `/api/orders/${order.id}/pay`,
    {
      prime: 'sim_approve',
      cardholder: { name: 'Chat', email: buyer.email, phoneNumber: '0912345678' },
    },
    buyer.token,
  );
  const phone = { width: 360, height: 740, mobile: true };
  const buyerPage = await j.newPage(phone);
  await loginViaUi(buyerPage, buyer.email);
  await buyerPage.goto(`/me/orders/${order.id}`);
  await buyerPage.getByRole('heading', { name: '與對方的訂單對話' }).waitFor();
  // The bell's live stream is open before the seller writes.
  await buyerPage.locator('.bell-button[data-stream="live"]').waitFor();

  const sellerPage = await j.newPage(phone);
  await loginViaUi(sellerPage, seller.email);
  await sellerPage.goto(`/me/orders/${order.id}?role=seller`);
  const box = sellerPage.getByRole('textbox', { name: '訊息' });
  await box.fill('比賽當天 18:00 在一號門見，票我會帶著。');
  await sellerPage.getByText('23 / 1000 字', { exact: false }).waitFor();
  await box.press('Control+Enter');
  await sellerPage.locator('.message.mine').first().waitFor();

  // Live on the buyer's page (no reload); opening it marks it read.
  await buyerPage.getByText('比賽當天 18:00 在一號門見').waitFor({ timeout: 20_000 });
  await j.check(buyerPage, 'conversation-buyer-360');
  await sellerPage.getByText(/^已讀/).waitFor({ timeout: 30_000 });

  await buyerPage.getByRole('textbox', { name: '訊息' }).fill('可以先匯款給你嗎？');
  await buyerPage.getByRole('button', { name: '送出' }).click();
  await sellerPage.getByText('對方要求站外付款', { exact: false }).waitFor({ timeout: 20_000 });
  await j.check(sellerPage, 'conversation-seller-360');
}

export const JOURNEYS: [string, (j: Journey) => Promise<void>][] = [
  ['journey-1 visitor browses calendar, game, listing', visitorBrowses],
  ['journey-2 seller registers and lists with a photo', sellerLists],
  ['journey-3 reserve, live bell, buy, send, confirm, rate', reserveBuyConfirmRate],
  ['journey-4 declined card then success', declinedThenSuccess],
  ['journey-5 English switch', englishSwitch],
  ['journey-6 sell flow at 360 px', sellOnPhone],
  ['journey-7 member centre and admin pages', memberCentreAndAdmin],
  ['journey-8 3-D Secure redirect and return', threeDSecure],
  ['journey-9 a postponed game shows the same everywhere', postponedGameConsistent],
  ['journey-10 issue 21: own hold, focus ring, refund dialog at 1280 and 390 px', fanFixes],
  ['journey-11 account: verify, two-factor, password, close', accountLifecycle],
  ['journey-12 installable web app: manifest, service worker, offline shell', installableOffline],
  [
    'journey-13 wallets: LINE Pay, JKO Pay, Apple Pay, Google Pay',
    (j) => walletsAtCheckout(j, (page) => registerViaUi(j, page, 'wallets')),
  ],
  ['journey-14 seat map by keyboard and click, buy 2 of 4, bulk listing', seatMapAndSplit],
  [
    'journey-15 issue 18: scorecard at 360 px, dispute with a photo, admin case',
    disputesAndScorecard,
  ],
  ['journey-16 order conversation: live, read, payment warning at 360 px', orderConversation],
];
