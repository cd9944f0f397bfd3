// @vitest-environment jsdom
// The simulator's card form: an empty form asks for the card, it does not talk about test cards
// (issue 21 item 6); a complete but unknown number is told which cards the demo takes.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { createElement as h } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadPageStrings } from '../../i18n/index.ts';
import zhPages from '../../i18n/zh-TW.pages.json' with { type: 'json' };
import { SimulatedCardForm } from './card-forms.tsx';

beforeAll(() => loadPageStrings());
afterEach(cleanup);

function show() {
  const onPay = vi.fn();
  render(
    h(SimulatedCardForm, {
      busy: false,
      defaults: { name: 'Bo', email: 'bo@example.test' },
      draftKey: 'pas_draft_test_holder',
      onPay,
    }),
  );
  return onPay;
}

describe('simulated card form', () => {
  it('when it is sent empty, then it asks for the card details', () => {
    const onPay = show();
    fireEvent.click(screen.getByRole('button', { name: zhPages.checkout.pay }));
    expect(screen.getByRole('alert').textContent).toBe(zhPages.checkout.cardIncomplete);
    expect(onPay).not.toHaveBeenCalled();
  });

  it('when a complete number is not a test card, then it says the demo takes test cards only', () => {
    show();
    fireEvent.change(screen.getByLabelText(zhPages.checkout.cardNumber), {
      target: { value: '5555 5555 5555 4444' },
    });
    fireEvent.change(screen.getByLabelText(zhPages.checkout.expiry), {
      target: { value: '12/30' },
    });
    fireEvent.change(screen.getByLabelText(zhPages.checkout.cvc), { target: { value: '123' } });
    fireEvent.click(screen.getByRole('button', { name: zhPages.checkout.pay }));
    expect(screen.getByRole('alert').textContent).toBe(zhPages.checkout.unknownCard);
  });
});
