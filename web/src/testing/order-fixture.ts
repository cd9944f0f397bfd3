// Tests only: an order as the server sends it (1,600 = 2 × 800), in a status with its actions.
import type { OrderAction } from '../../../shared/contracts/orders.ts';
import type { OrderSummary } from '../api/types.ts';

const team = (id: string) => ({ id, code: id, name: id, nameEn: id, shortName: id, color: '#123' });

export function orderFixture(status: OrderSummary['status'], actions: OrderAction[]): OrderSummary {
  const at = new Date().toISOString();
  return {
    id: 'o1',
    status,
    amount: 1600,
    quantity: 2,
    unitPrice: 800,
    expiresAt: at,
    paidAt: at,
    deliverBy: null,
    deliveredAt: null,
    completedAt: null,
    createdAt: at,
    updatedAt: at,
    listing: {
      id: 'l1',
      game: {
        id: 'g1',
        year: 2026,
        kind: 'A',
        gameNo: 1,
        startsAt: at,
        localDate: '2026-11-29',
        status: 'scheduled',
        homeTeam: team('h'),
        awayTeam: team('a'),
        stadium: { id: 's', abbe: 's', name: 's', nameEn: 's', city: 'c' },
        onSale: false,
      },
      area: {
        id: 'a1',
        code: 'A',
        name: '內野',
        nameEn: 'Infield',
        tier: 'A',
        faceValueMin: 300,
        faceValueMax: 900,
      },
      section: '217',
      row: null,
      seats: null,
      quantity: 2,
      remaining: 2,
      splitRule: 'any',
      price: 800,
      faceValue: 800,
      deliveryMethod: 'eticket_transfer',
      note: null,
      images: [],
      seller: { id: 'u1', name: 'Bo', ratingAverage: null, ratingCount: 0 },
      status: 'sold',
      createdAt: at,
      updatedAt: at,
    },
    buyer: { id: 'u2', name: 'Al' },
    seller: { id: 'u1', name: 'Bo' },
    reviewed: false,
    actions,
  };
}
