import { describe, expect, it } from 'vitest';
import { checkRecipient, EMPTY_RECIPIENT } from './recipient.ts';

describe('checkRecipient', () => {
  it('when an e-ticket gets a mobile number with spaces or dashes, then it is a phone of digits', () => {
    expect(
      checkRecipient('eticket_transfer', { ...EMPTY_RECIPIENT, account: '0912-345 678' }),
    ).toEqual({
      ok: true,
      recipient: { kind: 'phone', phone: '0912345678' },
    });
  });
  it('when an e-ticket gets an e-mail, then it is an e-mail; anything else is refused', () => {
    expect(
      checkRecipient('eticket_transfer', { ...EMPTY_RECIPIENT, account: ' fan@club.tw ' }),
    ).toEqual({
      ok: true,
      recipient: { kind: 'email', email: 'fan@club.tw' },
    });
    for (const account of ['', '0812345678', '091234567', 'fan@club', '+886912345678'])
      expect(checkRecipient('eticket_transfer', { ...EMPTY_RECIPIENT, account }).ok).toBe(false);
  });
  it('when mail lacks a name, a 3/5/6-digit postal code or an address, then that field is named', () => {
    const full = {
      account: '',
      name: '王小明',
      postalCode: '106',
      address: '臺北市大安區羅斯福路四段1號',
    };
    expect(checkRecipient('paper_mail', full)).toMatchObject({ ok: true });
    expect(checkRecipient('paper_mail', { ...full, name: ' ' })).toEqual({
      ok: false,
      error: 'name',
    });
    expect(checkRecipient('paper_mail', { ...full, postalCode: '1061' })).toEqual({
      ok: false,
      error: 'postalCode',
    });
    expect(checkRecipient('paper_mail', { ...full, address: '台北' })).toEqual({
      ok: false,
      error: 'address',
    });
  });
  it('when the handover is in person, then nothing is asked', () => {
    expect(checkRecipient('in_person', EMPTY_RECIPIENT)).toEqual({
      ok: true,
      recipient: undefined,
    });
  });
});
