// The service's health answer (src/service.ts): one measurement shared by /health, the admin pages and
// the bot's /server, cached a second so a burst of callers costs one job-count query. ffmpeg is probed
// at once (while the rest starts, so the first answer does not wait for it) and again after a TTL.

import { ffmpegVersion } from "./audio";
import type { Config } from "./config";
import type { DataLayout } from "./files";
import type { JobService } from "./jobs";
import {
  cachedFfmpeg,
  checkHealth,
  type Health,
  type HealthDeps,
  type RoleSet,
  roleList,
  sharedHealth,
} from "./ops";
import type { Settings } from "./settings";
import { VERSION } from "./version";

export type HealthWiring = {
  config: Config;
  jobs: Pick<JobService, "counts">;
  layout: Pick<DataLayout, "root">;
  startedAt: Date;
  files: { kind: HealthDeps["storage"] };
  roles: RoleSet;
  settings: Pick<Settings, "isMaintenance" | "maintenanceMessage">;
  /** On Postgres: the cluster's view of the nodes. */
  cluster: { health: HealthDeps["cluster"] } | null;
  /** Read on each measurement, never at wiring: the bot is built after health (it reports it in /server). */
  botStatus: HealthDeps["botStatus"];
};

export function wireHealth(w: HealthWiring): () => Promise<Health> {
  const { config, settings } = w;
  const ffmpeg = cachedFfmpeg(ffmpegVersion, () => Bun.which(config.MM_FFMPEG));
  void ffmpeg();
  return sharedHealth(() =>
    checkHealth({
      config,
      jobCounts: () => w.jobs.counts(),
      dataDir: w.layout.root,
      version: VERSION,
      startedAt: w.startedAt,
      ffmpeg,
      botStatus: w.botStatus,
      maintenance: () => settings.isMaintenance(),
      maintenanceMessage: () => settings.maintenanceMessage(),
      storage: w.files.kind,
      roles: roleList(w.roles),
      cluster: w.cluster?.health,
    }),
  );
}
