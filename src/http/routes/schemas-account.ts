// The zod schemas of a signed-in user's own records: history (/api/auth/history), the token ledger
// (/api/auth/ledger) and saved chain presets (/api/auth/presets). Strict like every answer schema: rows
// are mapped field by field, so owner keys, user ids, ledger row ids and actors never reach a client.
import { z } from "zod";
import { MasterSettingsSchema } from "../../audio";
import { JOB_KINDS, JOB_SOURCES, JOB_STATUSES } from "../../jobs";

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).optional().describe("Items per page, 1–100 (default 20)"),
  cursor: z.string().max(200).optional().describe("next_cursor of the previous page"),
});

const nextCursor = z
  .string()
  .nullable()
  .describe("Opaque; pass as ?cursor= for the next (older) page. null: this is the last page");

export const HistoryItemSchema = z.strictObject({
  id: z.string().describe("Short public job id"),
  status: z.enum(JOB_STATUSES),
  kind: z.enum(JOB_KINDS),
  source: z.enum(JOB_SOURCES),
  original_name: z.string(),
  style: z.string().nullable().describe("Style id the job used (null: settings unreadable)"),
  format: z.string().nullable().describe("Output format id"),
  target_lufs: z.number().nullable(),
  lufs_before: z.number().nullable().describe("Integrated loudness of the upload"),
  lufs_after: z.number().nullable().describe("Integrated loudness of the written master"),
  true_peak_before: z.number().nullable(),
  true_peak_after: z.number().nullable(),
  duration_s: z.number().nullable(),
  cost: z.number().int().describe("Tokens charged (0 when free)"),
  error: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
  created_at: z.number(),
  finished_at: z.number().nullable(),
  expires_at: z.number().nullable().describe("When the result is deleted"),
  download_url: z.string().nullable().describe("The result, while it lives (done and not expired)"),
});

export const HistorySchema = z.strictObject({
  total: z.number().int().describe("All of the user's jobs"),
  items: z.array(HistoryItemSchema).describe("Newest first"),
  next_cursor: nextCursor,
});

export const LedgerEntrySchema = z.strictObject({
  delta: z.number().int().describe("Tokens added (+) or taken (−)"),
  reason: z.string().describe("charge | refund | admin_credit | admin_debit | …"),
  job_id: z.string().nullable().describe("The job a charge or refund belongs to"),
  note: z.string().nullable().describe("Why: the refund's cause, or the reason an operator gave"),
  by: z.enum(["system", "admin"]).describe("system: charges and refunds; admin: an operator"),
  created_at: z.number(),
});

export const LedgerPageSchema = z.strictObject({
  balance: z.number().int(),
  items: z.array(LedgerEntrySchema).describe("Newest first"),
  next_cursor: nextCursor,
});

export const PresetSchema = z.strictObject({
  id: z.string().describe("p_… (unguessable)"),
  name: z.string(),
  settings: MasterSettingsSchema,
  created_at: z.number(),
  updated_at: z.number(),
});

export const PresetListSchema = z.strictObject({
  presets: z.array(PresetSchema).describe("Oldest first"),
  limit: z.number().int().describe("How many presets a user may keep"),
});

export const PresetIdParam = z.object({ id: z.string().min(1).max(64) });

export const DeletedSchema = z.strictObject({ deleted: z.string() });
