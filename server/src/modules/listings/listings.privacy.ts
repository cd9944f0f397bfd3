// A seller's listings for their data export (docs/PRODUCT.md: your data, and leaving).
import type { Executor } from '../../platform/db/dialect.ts';

export function exportListingsOfSeller(db: Executor, sellerId: string) {
  return db
    .selectFrom('listings')
    .select([
      'id',
      'game_id',
      'area_id',
      'section',
      'row_label',
      'seats',
      'quantity',
      'price',
      'face_value',
      'delivery_method',
      'note',
      'status',
      'created_at',
      'updated_at',
    ])
    .where('seller_id', '=', sellerId)
    .orderBy('created_at')
    .execute();
}
