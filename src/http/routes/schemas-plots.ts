// Answers of a done master's extras: the plot data (GET /api/jobs/:id/plots) and other formats of the
// same master on demand (/api/jobs/:id/formats). Strict, like every answer schema (schemas.ts).
import { z } from "zod";
import { FORMAT_IDS, TIMELINE_POINTS, WAVE_SCALE, WAVEFORM_COLUMNS } from "../../audio";

const TrackPlotsSchema = z.strictObject({
  duration_s: z.number().describe("Seconds decoded"),
  waveform: z
    .strictObject({
      columns: z.number().int(),
      step_s: z.number().describe("Seconds per column"),
      scale: z.literal(WAVE_SCALE).describe("Full scale: values are integers in [−scale, scale]"),
      min: z.array(z.number().int()),
      max: z.array(z.number().int()),
    })
    .describe(`Min/max envelope over all channels, about ${WAVEFORM_COLUMNS} columns`),
  loudness: z
    .strictObject({
      step_s: z.number().describe("Seconds per point (a multiple of 0.1)"),
      short_term_lufs: z
        .array(z.number().nullable())
        .describe("null: below the meter's floor (silence, first 3 s)"),
    })
    .describe(`Short-term (3 s) loudness timeline, at most about ${TIMELINE_POINTS} points`),
  spectrum: z
    .strictObject({
      hz: z.array(z.number()).describe("1/3-octave band centres, 25 Hz–20 kHz"),
      db: z
        .array(z.number().nullable())
        .describe("Mean square per band, dB (a full-scale sine ≈ −3); null above Nyquist"),
    })
    .describe("Long-term spectrum of the whole file, averaged over the channels"),
});

export const PlotsSchema = z.strictObject({
  id: z.string(),
  before: TrackPlotsSchema.describe("The uploaded input"),
  after: TrackPlotsSchema.describe("The delivered file"),
});

export const AlternateSchema = z.strictObject({
  format: z.enum(FORMAT_IDS),
  status: z
    .enum(["delivered", "ready", "encoding", "failed", "none"])
    .describe("delivered: the job's own format; none: not asked for yet"),
  bytes: z.number().nullable(),
  integrated_lufs: z.number().nullable().describe("Measured on the encoded (decoded, for lossy) file"),
  true_peak_dbtp: z.number().nullable(),
  error: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
  url: z.string().nullable().describe("Download path once ready (add ?token= unless signed in as the owner)"),
});

export const AlternatesSchema = z.strictObject({
  id: z.string(),
  source: z.enum(FORMAT_IDS).describe("The format the master was delivered in"),
  reencodable: z.boolean().describe("false: the master is lossy, other formats are not made from it"),
  formats: z.array(AlternateSchema),
});

export const FormatRequest = z.strictObject({ format: z.enum(FORMAT_IDS) });
export const FormatParam = z.object({ id: z.string().min(1).max(128), format: z.enum(FORMAT_IDS) });
