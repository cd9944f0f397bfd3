// What other modules may import from admin.
export { adminRoutes } from './admin.routes.ts';
export { createAdminService, type AdminService } from './admin.service.ts';
