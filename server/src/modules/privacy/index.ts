// What other modules may import from privacy (the data export and closing an account).
export { createPrivacyService, type PrivacyService } from './privacy.service.ts';
export { privacyRoutes } from './privacy.routes.ts';
