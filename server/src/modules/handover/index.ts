// What other modules may import from handover (the per-club handover guide).
export { createHandoverGuide, type HandoverGuide } from './handover-guide.service.ts';
export { handoverGuideRoutes } from './handover-guide.routes.ts';
export { ensureHandoverGuide } from './handover-guide.seed.ts';
