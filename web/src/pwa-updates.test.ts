// @vitest-environment jsdom
// A new service worker takes over at once, except during checkout, where it waits until the
// reader navigates away (a reload would drop the card form mid-payment).
import { describe, expect, it, vi } from 'vitest';

import { registerWithSafeUpdates } from './pwa-updates.ts';

const update = vi.fn(async () => {});
let options: { onNeedRefresh?: () => void } = {};
const register = (o: typeof options) => {
  options = o;
  return update;
};

describe('service worker updates', () => {
  it('when a new version is ready during checkout, then it waits until the reader leaves checkout', async () => {
    history.replaceState(null, '', '/checkout/o1');
    registerWithSafeUpdates(register);
    options.onNeedRefresh?.();
    expect(update).not.toHaveBeenCalled();
    history.pushState(null, '', '/checkout/o1?step=3ds');
    await Promise.resolve();
    expect(update).not.toHaveBeenCalled();
    history.pushState(null, '', '/me/orders/o1');
    await Promise.resolve();
    expect(update).toHaveBeenCalledWith(true);
  });

  it('when a new version is ready elsewhere, then it takes over at once', async () => {
    update.mockClear();
    history.replaceState(null, '', '/games/g1');
    options.onNeedRefresh?.();
    expect(update).toHaveBeenCalledTimes(1);
  });
});
