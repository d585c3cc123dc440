// The `alerts` task: queue too long, disk almost full, too many failures in the last 15 minutes.
// Each condition alerts once per episode and sends "recovered" when it clears. The episode state lives
// in the settings table, so a restart in the middle of an episode neither re-alerts nor forgets it.

import { z } from "zod";
import { t } from "../i18n";
import { notifyAdminSafely } from "./notify";
import type { Task, TaskDeps } from "./types";

export const FAILURE_WINDOW_MS = 15 * 60_000;
/** Below this many finished jobs in the window a rate means nothing (1 failure of 1 is not an outage). */
export const FAILURE_MIN_SAMPLE = 5;

type Check = { firing: boolean; params: Record<string, string | number> };
type Condition = { kind: string; check(d: TaskDeps, now: number): Check };

const CONDITIONS: readonly Condition[] = [
  {
    kind: "queue_high",
    check(d) {
      const queued = d.jobs.reports.countQueued();
      return { firing: queued > d.config.MM_ALERT_QUEUE, params: { queued, limit: d.config.MM_ALERT_QUEUE } };
    },
  },
  {
    kind: "disk_low",
    check(d) {
      const free = d.freeDiskMb(d.layout.root);
      return {
        firing: free < d.config.MM_DISK_LOW_MB,
        params: { free_mb: free, limit_mb: d.config.MM_DISK_LOW_MB },
      };
    },
  },
  {
    kind: "failure_rate",
    check(d, now) {
      const { finished, failed } = d.jobs.reports.outcomesSince(now - FAILURE_WINDOW_MS);
      const rate = finished ? failed / finished : 0;
      return {
        firing: finished >= FAILURE_MIN_SAMPLE && rate > d.config.MM_ALERT_FAILURE_RATE,
        params: {
          failed,
          finished,
          percent: Math.round(rate * 100),
          limit: Math.round(d.config.MM_ALERT_FAILURE_RATE * 100),
        },
      };
    },
  },
];

const episodeSchema = z.object({ active: z.boolean(), since: z.number() });
export const alertStateKey = (kind: string): string => `alert:${kind}`;

export const alertsTask: Task = {
  name: "alerts",
  schedule: (c) => c.MM_CRON_ALERTS,
  async run(d) {
    const now = d.now().getTime();
    let fired = 0;
    let recovered = 0;
    let active = 0;
    for (const c of CONDITIONS) {
      const { firing, params } = c.check(d, now);
      const episode = d.settings.readState(alertStateKey(c.kind), episodeSchema);
      const wasActive = episode?.active === true;
      if (firing !== wasActive) {
        const key = firing ? `alert_${c.kind}` : `alert_${c.kind}_recovered`;
        // The episode turns over whether or not Telegram took the message: delivery (retries, throttling,
        // "no admin chat configured") is the notifier's job, and re-sending every minute would be spam.
        d.settings.writeState(alertStateKey(c.kind), { active: firing, since: now });
        const delivered = await notifyAdminSafely(
          d,
          firing ? c.kind : `${c.kind}_recovered`,
          t(d.adminLang, key, params),
        );
        d.log.warn(firing ? "alert_fired" : "alert_recovered", c.kind, {
          kind: c.kind,
          delivered,
          ...params,
        });
        if (firing) fired++;
        else recovered++;
      }
      if (firing) active++;
    }
    return { checked: CONDITIONS.length, fired, recovered, active };
  },
};
