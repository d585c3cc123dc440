// What an upload must fit before it becomes a job: caps on what it decodes to (duration, sample rate,
// channels, from config) and the disk its job needs at worst. Built per request from config, the job's
// kind and settings; validateAudio applies it once the file is probed.

import { type MasterSettings, PREVIEW_S, type ProbeInfo, workDiskBytes } from "../audio";
import type { Config } from "../config";
import { ensureFreeSpace } from "./space";

const MB = 1024 * 1024;

export type InputCaps = { maxDurationS: number; maxSampleRate: number; maxChannels: number };

export type Admission = {
  caps: InputCaps;
  /** The folder uploads, intermediates and results share (one filesystem: the data dir). */
  dir: string;
  /** Free space that must remain after the job's worst case (MM_DISK_LOW_MB). */
  reserveBytes: number;
  /** The job's worst-case disk use beyond the stored upload, from the probed stream. */
  workBytes: (info: ProbeInfo) => number;
  /** Work admitted so far by this request: a batch's files must fit together. */
  admittedBytes: number;
};

export type AdmissionKind = "master" | "preview" | "measure";

/**
 * One per request. Caps for a job of `kind`. Mastering takes mono or stereo (MM_MAX_CHANNELS: the chain renders at most
 * two channels); a measure only analyses, and BS.1770 loudness is defined for surround, so it takes up to
 * MM_MAX_CHANNELS_MEASURE (7.1 by default). A measure writes nothing but its upload.
 */
export function admissionFor(
  config: Config,
  o: { kind: AdmissionKind; settings: MasterSettings; dir: string },
): Admission {
  const mastering = o.kind !== "measure";
  return {
    caps: {
      maxDurationS: config.MM_MAX_DURATION_MIN * 60,
      maxSampleRate: config.MM_MAX_SAMPLE_RATE,
      maxChannels: mastering ? config.MM_MAX_CHANNELS : config.MM_MAX_CHANNELS_MEASURE,
    },
    dir: o.dir,
    reserveBytes: config.MM_DISK_LOW_MB * MB,
    workBytes: (info) =>
      mastering ? workDiskBytes(info, o.settings, o.kind === "preview" ? { excerptS: PREVIEW_S } : {}) : 0,
    admittedBytes: 0,
  };
}

/** Adds one probed file's work to the request's total; throws insufficient_storage (507) if it does not fit. */
export function admitWork(a: Admission, info: ProbeInfo): void {
  const need = a.admittedBytes + a.workBytes(info);
  ensureFreeSpace(a.dir, need + a.reserveBytes);
  a.admittedBytes = need;
}

/** Before an upload is written: the disk must hold `uploadBytes` (at most, e.g. Content-Length) and the reserve. */
export function checkDiskBeforeUpload(a: Admission, uploadBytes: number): void {
  ensureFreeSpace(a.dir, uploadBytes + a.reserveBytes);
}
