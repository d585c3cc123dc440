// Admin: users — search, filters, pagination, CSV export (the list API lands next).
import { startAdminPage } from "/admin/admin.js";

startAdminPage();
