// What the HTTP layer is built from. main.ts (or a test) assembles it and passes it to createApp.

import type { Config } from "../config";
import type { DataLayout } from "../files";
import type { Logger } from "../log";
import type { BotState, Health, OrderFigures } from "../ops";

/** Counters the access-log middleware keeps for /api/metrics and /metrics. */
export type RequestCounters = { requests: number; errors4xx: number; errors5xx: number };

export type HttpDeps = {
  config: Config;
  log: Logger;
  layout: DataLayout;
  startedAt: Date;
  counters: RequestCounters;
  botStatus: () => BotState;
  /** Measures health now (database, disk, ffmpeg, bot, jobs). */
  health: () => Promise<Health>;
  version: string;
  /** Payment orders for /api/metrics and /metrics (billing's order counts). */
  orders?: () => OrderFigures;
};

export const newCounters = (): RequestCounters => ({ requests: 0, errors4xx: 0, errors5xx: 0 });
