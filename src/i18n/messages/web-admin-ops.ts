// Texts of the admin panel's operations pages (dashboard, jobs, settings, backups, audit). webadmin_* keys:
// served only to admins by GET /api/admin/i18n/:lang.
import type { Catalogue } from "../index";

export const webAdminOpsMessages: Catalogue = {};
