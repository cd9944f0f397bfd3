// Reservations (有票通知我): the fan's own.
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { ReservationPage } from '../../api/types.ts';

export const myReservationsQuery = queryOptions({
  queryKey: ['my-reservations'],
  queryFn: () => api<ReservationPage>('/api/me/reservations', { query: { limit: 50 } }),
});
