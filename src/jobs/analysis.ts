// The analyses on a job row: written from the engine's typed Analysis, read back as the same type.
// The row is the only place they persist, and only this module writes it, so reading trusts the shape
// it wrote; text that is not an analysis object (a damaged row) reads as null rather than a guess.

import type { Analysis } from "../audio";

export function encodeAnalysis(a: Analysis | null): string | null {
  return a === null ? null : JSON.stringify(a);
}

export function decodeAnalysis(text: string | null): Analysis | null {
  if (text === null) return null;
  try {
    const v: unknown = JSON.parse(text);
    return isAnalysis(v) ? v : null;
  } catch {
    return null;
  }
}

function isAnalysis(v: unknown): v is Analysis {
  if (!v || typeof v !== "object") return false;
  const o = v as Record<string, unknown>;
  const numOrNull = (x: unknown) => x === null || typeof x === "number";
  return typeof o.duration_s === "number" && numOrNull(o.integrated_lufs) && numOrNull(o.true_peak_dbtp);
}
