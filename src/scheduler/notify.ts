// Sends an admin notification without letting a notifier failure break the task that raised it.

import type { TaskDeps } from "./types";

/** True when the notifier accepted the message; a throw is logged and reported as false. */
export async function notifyAdminSafely(d: TaskDeps, kind: string, text: string): Promise<boolean> {
  try {
    await d.notify.notifyAdmin(kind, text);
    return true;
  } catch (err) {
    d.log.warn("admin_notify_failed", kind, { kind, err });
    return false;
  }
}
