// Which ffmpeg/ffprobe executables the engine spawns. Set once at start-up from MM_FFMPEG/MM_FFPROBE;
// kept here rather than passed through every call so analysis helpers stay small.

export type AudioTools = { ffmpeg: string; ffprobe: string };

let tools: AudioTools = { ffmpeg: "ffmpeg", ffprobe: "ffprobe" };

/** Points the engine at specific executables (names on PATH or absolute paths). */
export function configureAudioTools(t: AudioTools): void {
  tools = { ...t };
}

/** Internal. The executables currently configured. */
export function audioTools(): AudioTools {
  return tools;
}
