// Upload size limits: per format class from config (WAV/AIFF, FLAC, lossy), lowered by a per-owner
// limit that account tiers plug in.

import type { Config } from "../config";
import { extensionOf } from "./names";
import { type AudioContainer, limitClassOf } from "./sniff";

const MB = 1024 * 1024;

const CLASS_BY_EXTENSION: Record<string, "wav" | "flac" | "lossy"> = {
  wav: "wav",
  wave: "wav",
  aif: "wav",
  aiff: "wav",
  aifc: "wav",
  flac: "flac",
  mp3: "lossy",
  m4a: "lossy",
  mp4: "lossy",
  aac: "lossy",
  ogg: "lossy",
  oga: "lossy",
  opus: "lossy",
};

const CONTAINERS: readonly string[] = ["wav", "aiff", "flac", "mp3", "aac", "ogg", "mp4"];

/** A tier's limit for an owner in bytes, or undefined for "no extra limit". */
export type OwnerLimit = (ownerKey: string) => number | undefined;

function classOf(nameOrFormat: string): "wav" | "flac" | "lossy" | null {
  const key = nameOrFormat.toLowerCase();
  if (CONTAINERS.includes(key)) return limitClassOf(key as AudioContainer);
  return CLASS_BY_EXTENSION[key] ?? CLASS_BY_EXTENSION[extensionOf(nameOrFormat)] ?? null;
}

/**
 * The byte limit for a file, from its name ("mix.flac"), extension ("flac") or sniffed container ("aiff").
 * Unknown names get the largest format limit: the content is sniffed while it streams anyway.
 * With `ownerLimit` and `ownerKey`, the smaller of the two limits wins.
 */
export function uploadLimitBytes(
  originalNameOrFormat: string,
  config: Config,
  ownerLimit?: OwnerLimit,
  ownerKey?: string,
): number {
  const byClass = {
    wav: config.MM_UPLOAD_MAX_MB_WAV * MB,
    flac: config.MM_UPLOAD_MAX_MB_FLAC * MB,
    lossy: config.MM_UPLOAD_MAX_MB_LOSSY * MB,
  };
  const cls = classOf(originalNameOrFormat);
  const formatLimit = cls ? byClass[cls] : Math.max(byClass.wav, byClass.flac, byClass.lossy);
  const owner = ownerLimit && ownerKey !== undefined ? ownerLimit(ownerKey) : undefined;
  return owner === undefined ? formatLimit : Math.min(formatLimit, owner);
}
