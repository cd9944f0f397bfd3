// Dispute constants without dependencies (the web app imports them without pulling in the order
// schemas, whose vocabulary would otherwise grow the chunk the home page loads).

/**
 * Why a buyer disputes an order (issue 18 item 6): nothing arrived, it does not get in, the seats
 * are not the ones bought, or something else (then the buyer must say what).
 */
export const DISPUTE_REASONS = ['not_received', 'not_valid', 'wrong_seats', 'other'] as const;

/** Evidence photos a buyer may attach to a dispute (multipart field `images`). */
export const MAX_DISPUTE_PHOTOS = 3;
