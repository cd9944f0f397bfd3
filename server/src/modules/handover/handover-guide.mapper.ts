// handover_methods rows ↔ API shapes (steps are stored one per line).
import type { HandoverMethod } from '../../../../shared/contracts/handover.ts';
import type { HandoverMethodRow } from './handover-guide.repository.ts';

export function toHandoverMethod(row: HandoverMethodRow): HandoverMethod {
  return {
    teamId: row.team_id,
    deliveryMethod: row.delivery_method,
    recipient: row.recipient_kind,
    title: row.title,
    titleEn: row.title_en,
    steps: row.steps.split('\n'),
    stepsEn: row.steps_en.split('\n'),
    verified: row.verified === 1,
    updatedAt: row.updated_at,
  };
}

export function toHandoverMethodRow(
  m: Omit<HandoverMethod, 'updatedAt'>,
  nowIso: string,
): HandoverMethodRow {
  // A line break inside a step would split it in two when read back.
  const lines = (steps: string[]) => steps.map((s) => s.replace(/\s*\n\s*/g, ' ')).join('\n');
  return {
    team_id: m.teamId,
    delivery_method: m.deliveryMethod,
    recipient_kind: m.recipient,
    title: m.title,
    title_en: m.titleEn,
    steps: lines(m.steps),
    steps_en: lines(m.stepsEn),
    verified: m.verified ? 1 : 0,
    updated_at: nowIso,
  };
}
