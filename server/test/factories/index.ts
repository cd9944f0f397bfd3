// One set of test factories: every call makes new rows with unique values, and tests assert on
// what they made. Rows start from the owning modules' builders (newUserRow, newGameRow,
// newListingRow, newOrderRow), which demo data and the bench fixtures use too.
export * from './fixture.ts';
export * from './users.ts';
export * from './games.ts';
export * from './listings.ts';
export * from './orders.ts';
export * from './reservations.ts';
export * from './jobs.ts';

/** The error code of an API error answer. */
export const errorCode = (res: { json(): unknown }) =>
  (res.json() as { error: { code: string } }).error.code;
