// The handover guide (issue 18 item 1): how a ticket of each club reaches its buyer, per delivery
// method, with the recipient data the seller needs, in both languages. Reference data shipped
// beside teams and stadiums (server/src/data/handover-methods.json), editable by admins.
import { z } from 'zod';
import { IsoTimestamp } from './common.ts';
import { DELIVERY_METHODS, HANDOVER_RECIPIENT_KINDS } from './vocabulary.ts';

export const HandoverRecipientKind = z
  .enum(HANDOVER_RECIPIENT_KINDS)
  .describe(
    'what the buyer gives at checkout: a Taiwanese mobile number (phone), an e-mail (email), ' +
      'either (phone_or_email), a postal address (address)',
  );
export type HandoverRecipientKind = z.infer<typeof HandoverRecipientKind>;

/** `*` is the default of every club without its own entry. */
export const HandoverTeamKey = z
  .string()
  .regex(/^(\*|[A-Z0-9]{3,16})$/, 'a team code or *')
  .describe('a team code (e.g. ACN011), or * for the default of every club');

const Steps = z.array(z.string().trim().min(1).max(300)).min(1).max(10);

export const HandoverMethod = z.object({
  teamId: HandoverTeamKey,
  deliveryMethod: z.enum(DELIVERY_METHODS),
  recipient: HandoverRecipientKind.nullable().describe('null: the buyer gives nothing'),
  title: z.string(),
  titleEn: z.string(),
  steps: z.array(z.string()).describe('step by step, 繁體中文'),
  stepsEn: z.array(z.string()).describe('step by step, English'),
  verified: z
    .boolean()
    .describe("false: the club's own rules are not known for certain; the steps stay neutral"),
  updatedAt: IsoTimestamp,
});
export type HandoverMethod = z.infer<typeof HandoverMethod>;

export const HandoverMethodList = z.object({ items: z.array(HandoverMethod) });
export type HandoverMethodList = z.infer<typeof HandoverMethodList>;

export const HandoverGuideQuery = z.object({
  teamId: z.string().regex(/^[A-Z0-9]{3,16}$/, 'a team code'),
  method: z.enum(DELIVERY_METHODS),
});
export type HandoverGuideQuery = z.infer<typeof HandoverGuideQuery>;

export const HandoverMethodParams = z.object({
  teamId: HandoverTeamKey,
  method: z.enum(DELIVERY_METHODS),
});

export const HandoverMethodBody = z.object({
  recipient: HandoverRecipientKind.nullable(),
  title: z.string().trim().min(1).max(100),
  titleEn: z.string().trim().min(1).max(100),
  steps: Steps,
  stepsEn: Steps,
  verified: z.boolean(),
});
export type HandoverMethodBody = z.infer<typeof HandoverMethodBody>;
