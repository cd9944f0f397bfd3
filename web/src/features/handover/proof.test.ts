import { describe, expect, it } from 'vitest';
import { HandoverCode, TrackingNumber } from '../../../../shared/contracts/orders.ts';
import { codeOk, deliverBody, trackingNumberOk } from './proof.ts';

describe('the evidence of "mark sent"', () => {
  it('when a tracking number is typed, then the page accepts exactly what the server accepts', () => {
    for (const s of [
      'RR123456789TW',
      'rr 1234-5678 9tw',
      '12345678901234567890',
      '1234-5678',
      '1234',
      'RR-ABC-DEF-GHI',
      'ABCDEFGH1234567',
      '<b>12345678</b>',
      '',
    ]) {
      expect(trackingNumberOk(s), s).toBe(TrackingNumber.safeParse(s).success);
    }
    expect(trackingNumberOk('RR123456789TW')).toBe(true);
    expect(trackingNumberOk('1234')).toBe(false);
  });

  it('when a code is typed, then six digits pass (spaces ignored) and the server agrees', () => {
    expect(codeOk('123 456')).toBe(true);
    expect(HandoverCode.safeParse('123456').success).toBe(true);
    for (const bad of ['12345', '1234567', 'abcdef', ''])
      expect([codeOk(bad), HandoverCode.safeParse(bad).success], bad).toEqual([false, false]);
  });

  it('when the method is an e-ticket, then the photo goes as multipart "proof"; otherwise JSON', () => {
    const photo = new File([new Uint8Array([1, 2, 3])], 'shot.png', { type: 'image/png' });
    const base = { note: ' 已轉贈 ', photo, trackingNumber: ' RR123456789TW ', code: '123 456' };
    const form = deliverBody('eticket_transfer', base);
    expect(form).toBeInstanceOf(FormData);
    expect((form as FormData).get('proof')).toBeInstanceOf(File);
    expect((form as FormData).get('note')).toBe('已轉贈');
    expect(deliverBody('paper_mail', base)).toEqual({
      trackingNumber: 'RR123456789TW',
      note: '已轉贈',
    });
    expect(deliverBody('in_person', { ...base, note: '' })).toEqual({ code: '123456' });
  });
});
