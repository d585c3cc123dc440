// Public face of the audio engine. Knows nothing about users or the database (DESIGN.md).

export {
  ALBUM_MAX_TRACKS,
  ALBUM_MIN_TRACKS,
  ALBUM_RELATIVE_TOLERANCE_LU,
  type AlbumChange,
  type AlbumPlan,
  type AlbumReport,
  type AlbumTrackPlan,
  albumChange,
  albumReport,
  planAlbum,
} from "./album";
export { type AlbumResult, type AlbumTrack, masterAlbum, measureAlbum, trackSettings } from "./album-flow";
export { type Analysis, type AnalyzeOptions, analyze } from "./analyze";
export { type DecodeBudget, workDiskBytes } from "./budget";
export { PLATFORMS, type PlatformId, type PlatformRule } from "./catalogue/platforms";
export { PRESET_IDS, PRESETS, type Preset, type PresetId } from "./catalogue/presets";
export { canonicalStyleName, STYLE_IDS, STYLES, type Style, type StyleId } from "./catalogue/styles";
export type { WhatChanged } from "./changes";
export { FfmpegError, ffmpegVersion, type RunOptions, type RunResult, runFfmpeg } from "./ffmpeg";
export { MIN_DURATION_S } from "./flow";
export { FORMAT_IDS, FORMATS, type Format, type FormatId, formatFromPath } from "./formats";
export { LUFS_TOLERANCE, type MasterOptions, type MasterReport, master, VERSION } from "./master";
export { type MatchMeasurement, measureForMatch } from "./match-measure";
export { chainGraph, planChainPass, planFinalPass, planSearchPass } from "./plan";
export { MATCH_ASPECTS, MAX_REFERENCES, type MatchAspect } from "./plan-match";
export {
  PLATFORM_VERDICTS,
  type PlatformPlayback,
  type PlatformVerdictId,
  platformReport,
} from "./playback";
export { PLOT_FFT, TIMELINE_POINTS, type TrackPlots, WAVE_SCALE, WAVEFORM_COLUMNS } from "./plots";
export { computePlots, encodeListeningCopy, type PassPlots, type PlotOptions } from "./plots-run";
export { PREVIEW_S, type PreviewOptions, type PreviewReport, preview } from "./preview";
export { type ProbeInfo, probe } from "./probe";
export { canReencode, encodeAlternate } from "./reencode";
export {
  INTENSITIES,
  type Intensity,
  type MasterSettings,
  MasterSettingsSchema,
  MODULE_IDS,
  type ModuleId,
  parseSettings,
  type ResolvedSettings,
  resolveSettings,
} from "./settings";
export { configureAudioTools } from "./tools";
