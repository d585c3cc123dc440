// UTC day arithmetic shared by the daily statistics and the scheduler's stats and cleanup tasks. Pure.

export const DAY_MS = 86_400_000;

/** Midnight UTC of the day holding `ms`. */
export const startOfUtcDay = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

/** "YYYY-MM-DD" of the UTC day holding `ms`. */
export const utcDate = (ms: number): string => new Date(startOfUtcDay(ms)).toISOString().slice(0, 10);

/** Midnight UTC of a "YYYY-MM-DD" date. */
export const dateStart = (date: string): number => Date.parse(`${date}T00:00:00Z`);

/**
 * Job rows finished before this instant may be deleted. Whole UTC days only: a day is either entirely
 * present or entirely folded into stats_daily, so its stats row never gets recomputed from half the rows.
 */
export const jobRetentionCutoff = (nowMs: number, retentionDays: number): number =>
  startOfUtcDay(nowMs - retentionDays * DAY_MS);
