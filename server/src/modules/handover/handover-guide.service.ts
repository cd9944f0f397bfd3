// The handover guide: which method a club's tickets travel by, what the buyer gives, the steps.
// A club without its own row for a method gets the default (`*`), which says nothing club-specific.
import type { HandoverMethod, HandoverMethodBody } from '../../../../shared/contracts/handover.ts';
import type { Db } from '../../platform/db/dialect.ts';
import type { DeliveryMethod } from '../../platform/db/schema.ts';
import type { Clock } from '../../shared/clock.ts';
import { notFound, validationFailed } from '../../shared/errors.ts';
import { toHandoverMethod, toHandoverMethodRow } from './handover-guide.mapper.ts';
import * as repo from './handover-guide.repository.ts';

export interface HandoverGuideDeps {
  db: Db;
  clock: Clock;
}

export function createHandoverGuide(deps: HandoverGuideDeps) {
  const { db, clock } = deps;

  return {
    /** The guide for one club's tickets sent one way: the club's own row, else the default. */
    async guide(teamId: string, method: DeliveryMethod): Promise<HandoverMethod> {
      const rows = await repo.findHandoverMethods(db, teamId, method);
      const row = rows.find((r) => r.team_id === teamId) ?? rows[0];
      if (!row) throw notFound('Handover method');
      return toHandoverMethod(row);
    },

    async list(): Promise<{ items: HandoverMethod[] }> {
      return { items: (await repo.listHandoverMethods(db)).map(toHandoverMethod) };
    },

    /** An admin writes one club's guide for one method (creating it, or replacing it). */
    async put(
      teamId: string,
      method: DeliveryMethod,
      body: HandoverMethodBody,
    ): Promise<HandoverMethod> {
      if (teamId !== repo.DEFAULT_TEAM) {
        const team = await db
          .selectFrom('teams')
          .select('id')
          .where('id', '=', teamId)
          .executeTakeFirst();
        if (!team)
          throw validationFailed('Unknown team', [
            { path: 'params.teamId', message: 'unknown team' },
          ]);
      }
      if (method === 'in_person' && body.recipient !== null)
        throw validationFailed('A handover in person needs nothing from the buyer', [
          { path: 'body.recipient', message: 'must be null for in_person' },
        ]);
      if (method === 'paper_mail' && body.recipient !== 'address')
        throw validationFailed('A ticket by mail needs a postal address', [
          { path: 'body.recipient', message: 'must be address for paper_mail' },
        ]);
      if (
        method === 'eticket_transfer' &&
        (body.recipient === null || body.recipient === 'address')
      )
        throw validationFailed('An e-ticket transfer needs a phone number or an e-mail', [
          { path: 'body.recipient', message: 'must be phone, email or phone_or_email' },
        ]);
      const row = toHandoverMethodRow(
        { ...body, teamId, deliveryMethod: method },
        clock.now().toISOString(),
      );
      await db.transaction().execute(async (trx) => {
        const existing = await repo.findHandoverMethod(trx, teamId, method);
        if (existing) await repo.updateHandoverMethod(trx, row);
        else await repo.insertHandoverMethod(trx, row);
      });
      return toHandoverMethod(row);
    },
  };
}

export type HandoverGuide = ReturnType<typeof createHandoverGuide>;
