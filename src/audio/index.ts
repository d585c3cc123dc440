// Public face of the audio engine. Knows nothing about users or the database (DESIGN.md).

export { type Analysis, type AnalyzeOptions, analyze } from "./analyze";
export { type DecodeBudget, workDiskBytes } from "./budget";
export { PLATFORMS, type PlatformId, type PlatformRule } from "./catalogue/platforms";
export { PRESET_IDS, PRESETS, type Preset, type PresetId } from "./catalogue/presets";
export { STYLE_IDS, STYLES, type Style, type StyleId } from "./catalogue/styles";
export { FfmpegError, ffmpegVersion, type RunOptions, type RunResult, runFfmpeg } from "./ffmpeg";
export { MIN_DURATION_S } from "./flow";
export { FORMAT_IDS, FORMATS, type Format, type FormatId, formatFromPath } from "./formats";
export { LUFS_TOLERANCE, type MasterOptions, type MasterReport, master, VERSION } from "./master";
export { chainGraph, planChainPass, planFinalPass, planSearchPass } from "./plan";
export {
  PLATFORM_VERDICTS,
  type PlatformPlayback,
  type PlatformVerdictId,
  platformReport,
} from "./playback";
export { PREVIEW_S, type PreviewOptions, type PreviewReport, preview } from "./preview";
export { type ProbeInfo, probe } from "./probe";
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

import { type ChainContext, chainGraph } from "./plan";
import type { ResolvedSettings } from "./settings";

/**
 * PURE: the processing chain for `settings` as an ffmpeg filter graph string (from [0:a] to [chain]),
 * given the input's rate/channels and measured loudness. The flow's passes use plan*Pass.
 */
export function planChain(
  s: ResolvedSettings,
  input: { sample_rate: number; channels: number; integrated_lufs: number },
): string {
  const ctx: ChainContext = {
    input_rate: input.sample_rate,
    work_rate: s.sample_rate === "keep" ? input.sample_rate : s.sample_rate,
    channels: input.channels,
    pre_gain_db: Math.max(-20, Math.min(20, -18 - input.integrated_lufs)),
  };
  return chainGraph(s.modules, ctx, "0:a", "chain", s.mix);
}
