// @vitest-environment jsdom
// A seller edits an active listing's price, seats and note (issue 21 item 9): only what changed is
// sent, blank optional fields clear, and a price above face value or an empty section is refused.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { createElement as h } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import i18n, { loadPageStrings } from '../../i18n/index.ts';
import type { Listing } from '../../api/types.ts';
import { ListingEditForm, listingPatch } from './listing-edit.tsx';

const listing = {
  id: 'l1',
  section: '217',
  row: '5',
  seats: '11-12',
  price: 400,
  faceValue: 500,
  note: '兩張連號',
} as Listing;

beforeAll(async () => {
  await loadPageStrings();
});
afterEach(cleanup);

function show(onSave = vi.fn()) {
  render(h(ListingEditForm, { listing, pending: false, onSave, onCancel: vi.fn() }));
  return onSave;
}
const field = (name: string) => screen.getByLabelText(name, { exact: false }) as HTMLInputElement;

describe('editing a listing', () => {
  it('when the seller changes the seats and the note, then only those are sent', () => {
    const onSave = show();
    fireEvent.change(field('區／看台'), { target: { value: ' 218 ' } });
    fireEvent.change(field('座位號碼（選填）'), { target: { value: '' } });
    fireEvent.change(field('備註（選填）'), { target: { value: '靠走道' } });
    fireEvent.click(screen.getByRole('button', { name: '儲存' }));
    expect(onSave).toHaveBeenCalledWith({ section: '218', seats: null, note: '靠走道' });
  });

  it('when the price is above face value or the section is empty, then it cannot be saved', () => {
    const onSave = show();
    fireEvent.change(field('售價（每張）'), { target: { value: '501' } });
    expect(screen.getByRole('button', { name: '儲存' })).toHaveProperty('disabled', true);
    fireEvent.change(field('售價（每張）'), { target: { value: '450' } });
    fireEvent.change(field('區／看台'), { target: { value: '  ' } });
    expect(screen.getByRole('button', { name: '儲存' })).toHaveProperty('disabled', true);
    expect(onSave).not.toHaveBeenCalled();
  });

  it('when nothing changed, then the patch is empty; in English the fields are labelled', async () => {
    expect(
      listingPatch(listing, {
        price: '400',
        section: '217',
        row: '5',
        seats: '11-12',
        note: '兩張連號',
      }),
    ).toEqual({});
    await i18n.changeLanguage('en');
    try {
      await loadPageStrings();
      show();
      expect(field('Section / stand').value).toBe('217');
      expect(field('Note (optional)').value).toBe('兩張連號');
    } finally {
      await i18n.changeLanguage('zh-TW');
    }
  });
});
