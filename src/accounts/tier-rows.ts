// A tier as the tiers table stores it (lists as JSON text) and back: the same columns on every backend.

import type { schema } from "../db";
import type { Tier } from "./tiers-data";

export type TierRow = typeof schema.tiers.$inferSelect;

const parseList = (s: string | null): string[] | null => (s === null ? null : (JSON.parse(s) as string[]));
const listText = (l: string[] | null): string | null => (l === null ? null : JSON.stringify(l));

export function fromRow(r: TierRow): Tier {
  return {
    name: r.name,
    masters_per_period: r.mastersPerPeriod,
    period: r.period,
    daily_cap: r.dailyCap,
    tokens: {
      master: r.tokensMaster,
      preview: r.tokensPreview,
      measure: r.tokensMeasure,
      batch_item: r.tokensBatchItem,
    },
    upload_max_mb: r.uploadMaxMb,
    styles: parseList(r.styles),
    formats: parseList(r.formats),
    modules: parseList(r.modules),
    batch_max: r.batchMax,
    queue_priority: r.queuePriority,
    api_keys: r.apiKeys,
  };
}

export function toRow(t: Tier, now: number): typeof schema.tiers.$inferInsert {
  return {
    name: t.name,
    mastersPerPeriod: t.masters_per_period,
    period: t.period,
    dailyCap: t.daily_cap,
    tokensMaster: t.tokens.master,
    tokensPreview: t.tokens.preview,
    tokensMeasure: t.tokens.measure,
    tokensBatchItem: t.tokens.batch_item,
    uploadMaxMb: t.upload_max_mb,
    styles: listText(t.styles),
    formats: listText(t.formats),
    modules: listText(t.modules),
    batchMax: t.batch_max,
    queuePriority: t.queue_priority,
    apiKeys: t.api_keys,
    updatedAt: now,
  };
}
