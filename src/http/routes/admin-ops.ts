// The admin panel's operations routes (dashboard, jobs, settings with tiers/plans, backups, audit), mounted
// under the guarded /api/admin router by admin.ts. One deps object, built in service.ts.
import type { Hono } from "hono";
import type { AdminEnv } from "./admin-actor";
import { type AdminAuditDeps, adminAuditRoutes } from "./admin-audit";
import { type AdminBackupsDeps, adminBackupsRoutes } from "./admin-backups";
import { type AdminDashboardDeps, adminDashboardRoutes } from "./admin-dashboard";
import { type AdminJobsDeps, adminJobsRoutes } from "./admin-jobs";
import { type AdminSettingsDeps, adminSettingsRoutes } from "./admin-settings";

export type AdminOpsDeps = {
  dashboard: AdminDashboardDeps;
  jobs: AdminJobsDeps;
  settings: AdminSettingsDeps;
  backups: AdminBackupsDeps;
  audit: AdminAuditDeps;
};

export function mountAdminOps(r: Hono<AdminEnv>, d: AdminOpsDeps): void {
  r.route("/", adminDashboardRoutes(d.dashboard));
  r.route("/", adminJobsRoutes(d.jobs));
  r.route("/", adminSettingsRoutes(d.settings));
  r.route("/", adminBackupsRoutes(d.backups));
  r.route("/", adminAuditRoutes(d.audit));
}
