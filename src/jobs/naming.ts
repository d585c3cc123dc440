// Small pure helpers shared by the service and the worker: result file names and billing views of a row.

import { FORMAT_IDS } from "../audio";
import type { BillableJob } from "../billing";
import type { JobRow } from "./store";

/** "<original base>_master.<ext>" (or _preview); the base is the already-sanitised upload name. */
export function resultNameFor(originalName: string, kind: string, extension: string): string {
  const base = originalName.replace(/\.[^.]{1,8}$/, "") || "audio";
  return `${base}_${kind === "preview" ? "preview" : "master"}.${extension}`;
}

/**
 * Where a master's reference tracks live: beside its upload, `<input>.ref1` … `.ref3` (submit renames them
 * there), so every place that keeps or deletes the input keeps or deletes them too, with no column of their own.
 */
export function referencePathsOf(inputPath: string): string[] {
  return [1, 2, 3].map((i) => `${inputPath}.ref${i}`);
}

/** The input and its possible siblings (references, an album track's plan): what deleting "the input" deletes. */
export function inputFilesOf(inputPath: string): string[] {
  return [inputPath, ...referencePathsOf(inputPath), `${inputPath}.album`];
}

/** The plot data (waveform, loudness timeline, spectrum of input and result) beside a result. */
export function plotsPathOf(resultPath: string): string {
  return `${resultPath}.plots.json`;
}

/** The listening copy of the input (the result page's "before" player), beside the result. */
export function beforeAudioPathOf(resultPath: string): string {
  return `${resultPath}.before.flac`;
}

/** Another format of the same master, encoded on demand, and its measurement, beside the result. */
export function alternatePathsOf(resultPath: string, format: string): { file: string; meta: string } {
  return { file: `${resultPath}.as-${format}`, meta: `${resultPath}.as-${format}.json` };
}

/**
 * The result and every sibling it may have (plots, other formats): what keeping or deleting "the result"
 * keeps or deletes, with no column of their own (like the input's reference siblings).
 */
export function resultFilesOf(resultPath: string): string[] {
  const alternates = FORMAT_IDS.flatMap((f) => {
    const a = alternatePathsOf(resultPath, f);
    return [a.file, a.meta];
  });
  return [resultPath, plotsPathOf(resultPath), beforeAudioPathOf(resultPath), ...alternates];
}

/** Every file the rows still point at (inputs and results with their siblings): what retention deletes
 * with the rows, and what the orphan sweep keeps. */
export const storedFilesOf = (rows: readonly { input: string | null; result: string | null }[]): string[] =>
  rows.flatMap((r) => [
    ...(r.input ? inputFilesOf(r.input) : []),
    ...(r.result ? resultFilesOf(r.result) : []),
  ]);

export function billableOf(row: JobRow): BillableJob {
  return {
    publicId: row.publicId,
    ownerKey: row.ownerKey,
    userId: row.userId,
    kind: row.kind,
    batchId: row.batchId,
  };
}
