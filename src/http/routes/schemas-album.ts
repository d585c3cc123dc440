// Answers of the batch routes (routes/batch.ts): the album report and what a batch's 202 adds.
import { z } from "zod";
import { JOB_STATUSES } from "../../jobs";

const lu = z.number().nullable();

export const AlbumTrackSchema = z.strictObject({
  id: z.string(),
  filename: z.string(),
  status: z.enum(JOB_STATUSES),
  before_lufs: lu,
  after_lufs: lu.describe("Measured on the delivered file"),
  offset_before_lu: lu.describe("Input loudness relative to the album's loudest input"),
  offset_after_lu: lu.describe("Delivered loudness relative to the loudest delivered track"),
  relative_error_lu: lu.describe("offset_after − offset_before: how far the relative level moved"),
  true_peak_dbtp: lu,
  lra_before_lu: lu,
  lra_after_lu: lu,
  duration_s: lu,
});

export const AlbumSchema = z.strictObject({
  batch_id: z.string(),
  album: z.literal(true),
  finished: z.boolean().describe("Every track reached a final state"),
  tracks_done: z.number().int(),
  tracks_total: z.number().int(),
  style: z.string().nullable().describe("The album's one style (null until a track is done)"),
  target_lufs: z.number().nullable().describe("Where the loudest track lands"),
  ceiling_dbtp: z.number().nullable(),
  pre_gain_db: z.number().nullable().describe("Input gain staging shared by every track"),
  album_lufs_before: lu.describe("The album as one programme: duration-weighted energy mean of the tracks"),
  album_lufs_after: lu,
  loudest_error_lu: lu.describe("The loudest input's delivered loudness minus the target"),
  max_relative_error_lu: lu,
  max_true_peak_dbtp: lu,
  within_spec: z
    .boolean()
    .describe("All delivered, relative levels within 0.5 LU, the loudest within 0.3 LU, TP ≤ ceiling"),
  tracks: z.array(AlbumTrackSchema),
  zip_url: z.string(),
});

/** One track of a batch as it renders (GET /api/v2/batch/:id/events). */
export const BatchTrackProgressSchema = z.strictObject({
  id: z.string(),
  filename: z.string(),
  status: z.enum(JOB_STATUSES),
  progress: z.number().describe("0–1 of the track's render"),
  stage: z.string().nullable(),
  position: z.number().int().nullable().describe("Place in the queue while queued"),
  error: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
});

/** A batch's progress: every track, in upload order, sent whole on each change. */
export const BatchProgressSchema = z.strictObject({
  batch_id: z.string(),
  album: z.boolean(),
  finished: z.boolean().describe("Every track reached a final state (the stream ends after this event)"),
  tracks: z.array(BatchTrackProgressSchema),
});
