import { describe, expect, it } from 'vitest';
import { CreateListingBody } from '../../../../shared/contracts/listings.ts';
import { checkPhoto, draftToBody, validateDraft, type ListingDraft } from './sell-validation.ts';
import { listingFormData } from './use-create-listing.ts';

const area = {
  id: 'a1',
  code: 'B1',
  name: '內野B1',
  nameEn: 'Infield',
  tier: 'infield',
  faceValueMin: 500,
  faceValueMax: 1200,
};
const good: ListingDraft = {
  areaId: 'a1',
  section: 'B12',
  row: '3',
  seats: '7-8',
  quantity: '2',
  splitRule: 'pairs',
  faceValue: '1000',
  price: '850',
  deliveryMethod: 'eticket_transfer',
  note: '',
};

describe('sell form checks', () => {
  it('when the face value has 14 digits, then it is out of the area range (not "enter the face value")', () => {
    expect(validateDraft({ ...good, faceValue: '12345678901234' }, area).faceValue).toEqual({
      key: 'sell.err.faceRange',
      params: { min: 500, max: 1200 },
    });
    expect(validateDraft({ ...good, price: '12345678901234' }, area).price).toEqual({
      key: 'sell.err.aboveFace',
      params: { face: 1000 },
    });
  });

  it('when every field is fine, then there is nothing to fix', () => {
    expect(validateDraft(good, area)).toEqual({});
  });

  it('when the price is above face value, then the cap is explained', () => {
    expect(validateDraft({ ...good, price: '1001' }, area).price).toEqual({
      key: 'sell.err.aboveFace',
      params: { face: 1000 },
    });
  });

  it("when the face value is outside the area's range, then the range is given", () => {
    expect(validateDraft({ ...good, faceValue: '1300', price: '900' }, area).faceValue).toEqual({
      key: 'sell.err.faceRange',
      params: { min: 500, max: 1200 },
    });
  });

  it('when required fields are missing, then each is named', () => {
    const problems = validateDraft(
      { ...good, areaId: '', section: ' ', faceValue: '', price: 'abc', quantity: '9' },
      undefined,
    );
    expect(Object.keys(problems).sort()).toEqual(
      ['areaId', 'faceValue', 'price', 'quantity', 'section'].sort(),
    );
  });

  it('when a photo is not an image or too big, then it is refused before upload', () => {
    expect(checkPhoto({ type: 'image/jpeg', size: 1000 })).toBeNull();
    expect(checkPhoto({ type: 'image/svg+xml', size: 10 })?.key).toBe('sell.err.photoType');
    expect(checkPhoto({ type: 'image/png', size: 9 * 1024 * 1024 })?.key).toBe(
      'sell.err.photoSize',
    );
  });

  it('when a checked draft is sent, then it is trimmed, numbers are numbers and blanks are null', () => {
    const body = draftToBody('g1', { ...good, section: ' B12 ', row: ' ', note: '  hi ' });
    expect(body).toEqual({
      gameId: 'g1',
      areaId: 'a1',
      section: 'B12',
      row: null,
      seats: '7-8',
      quantity: 2,
      splitRule: 'pairs',
      price: 850,
      faceValue: 1000,
      deliveryMethod: 'eticket_transfer',
      note: 'hi',
    });
    expect(CreateListingBody.safeParse(body).success).toBe(true);
  });

  it('when the listing is uploaded, then its fields are form fields and the photos follow', () => {
    const body = CreateListingBody.parse(draftToBody('g1', { ...good, row: '' }));
    const photo = new File(['x'], 'seat.jpg', { type: 'image/jpeg' });
    const form = listingFormData(body, [photo]);
    expect(form.get('price')).toBe('850');
    expect(form.get('quantity')).toBe('2');
    expect(form.get('splitRule')).toBe('pairs');
    expect(form.has('row')).toBe(false);
    expect((form.get('images') as File).name).toBe('seat.jpg');
  });
});
