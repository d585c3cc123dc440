// Sends an admin notification without letting a notifier failure break the task that raised it.

import type { TaskDeps } from "./types";

/** False when the notifier said it did not send (throttled, no admin chat) or threw (logged). */
export async function notifyAdminSafely(d: TaskDeps, kind: string, text: string): Promise<boolean> {
  try {
    return (await d.notify.notifyAdmin(kind, text)) !== false;
  } catch (err) {
    d.log.warn("admin_notify_failed", kind, { kind, err });
    return false;
  }
}
