// What each streaming service does to a delivered file at playback, and the broadcast loudness
// standards, as data: one rule per platform with the documented behaviour and its source beside it.
// The delivery presets (presets.ts) take their targets and ceilings from here, so a number lives once.
// Sources were checked on 2026-12-01; services change their players, so each rule names its source.

export type PlatformRule = {
  id: string;
  name: string;
  /** streaming: the player normalises; broadcast: a delivery spec the file complies with or not. */
  kind: "streaming" | "broadcast";
  /** Loudness the player normalises to (LUFS, BS.1770); null = the player does not normalise. */
  target_lufs: number | null;
  /**
   * How a file quieter than the target is treated: never turned up ("none"), turned up only as far as
   * its true peak stays at `headroom_dbtp` ("headroom"), or turned up fully into a limiter ("limiter").
   */
  turn_up: "none" | "headroom" | "limiter";
  /** Highest true peak a turned-up file may reach (headroom mode), or where the limiter engages. */
  headroom_dbtp: number;
  /** Highest true peak the service advises for a master (encoding overshoot). */
  max_tp_dbtp: number;
  /** Stricter peak advice for masters louder than `loud_above_lufs` (Spotify: −2 dBTP above −14 LUFS). */
  loud_max_tp_dbtp?: number;
  loud_above_lufs?: number;
  /** Broadcast: ± LU around the target that still complies. */
  tolerance_lu?: number;
  /** The documented rule, in one sentence. */
  rule: string;
  source: string;
};

const SPOTIFY_SRC = "https://support.spotify.com/us/artists/article/loudness-normalization";

export const PLATFORMS = [
  {
    id: "spotify",
    name: "Spotify",
    kind: "streaming",
    target_lufs: -14,
    turn_up: "headroom",
    headroom_dbtp: -1,
    max_tp_dbtp: -1,
    loud_max_tp_dbtp: -2,
    loud_above_lufs: -14,
    rule:
      "Normal −14 LUFS (ITU 1770). Louder masters are turned down; softer ones turned up only as far as the " +
      "true peak allows, leaving 1 dB headroom (−20 LUFS / −5 dBTP plays at −16). Keep masters below " +
      "−1 dBTP, and below −2 dBTP when louder than −14 LUFS (encoding distortion).",
    source: `${SPOTIFY_SRC}; https://support.spotify.com/artists/article/track-not-as-loud-as-others`,
  },
  {
    id: "spotify_loud",
    name: "Spotify (Loud)",
    kind: "streaming",
    target_lufs: -11,
    turn_up: "limiter",
    headroom_dbtp: -1,
    max_tp_dbtp: -1,
    loud_max_tp_dbtp: -2,
    loud_above_lufs: -14,
    rule:
      "Premium 'Loud' −11 LUFS, set regardless of true peak; a limiter engages at −1 dB (sample values), " +
      "5 ms attack, 100 ms decay.",
    source: SPOTIFY_SRC,
  },
  {
    id: "spotify_quiet",
    name: "Spotify (Quiet)",
    kind: "streaming",
    target_lufs: -19,
    turn_up: "headroom",
    headroom_dbtp: -1,
    max_tp_dbtp: -1,
    loud_max_tp_dbtp: -2,
    loud_above_lufs: -14,
    rule: "Premium 'Quiet' −19 LUFS; turn-up limited by headroom as in Normal.",
    source: SPOTIFY_SRC,
  },
  {
    id: "apple",
    name: "Apple Music",
    kind: "streaming",
    target_lufs: -16,
    turn_up: "headroom",
    headroom_dbtp: -1,
    max_tp_dbtp: -1,
    rule:
      "Sound Check (on by default on iOS) normalises to about −16 LUFS. Apple does not publish its turn-up " +
      "limit; modelled like Spotify (peak stays at −1 dBTP). AAC 256k transcoding raises peaks: keep −1 dBTP.",
    source:
      "https://www.production-expert.com/production-expert-1/apple-choose-16lufs-loudness-level-for-apple-music-heres-why; " +
      "https://www.masteringthemix.com/blogs/learn/producing-music-for-apple-music",
  },
  {
    id: "youtube",
    name: "YouTube",
    kind: "streaming",
    target_lufs: -14,
    turn_up: "none",
    headroom_dbtp: -1,
    max_tp_dbtp: -1,
    rule: "About −14 LUFS ('content loudness' in Stats for nerds); louder uploads are turned down, quieter ones are left as they are.",
    source:
      "https://tuberlife.com/youtube-and-reference-loudness-level; https://youtubedownload.minitool.com/news/youtube-loudness-standard.html (YouTube publishes no spec)",
  },
  {
    id: "amazon",
    name: "Amazon Music",
    kind: "streaming",
    target_lufs: -14,
    turn_up: "none",
    headroom_dbtp: -2,
    max_tp_dbtp: -2,
    rule: "About −14 LUFS; −2 dBTP advised. Turn-up behaviour is not documented, so it is modelled as turn-down only.",
    source:
      "https://lexpi.ai/en/loudness-streaming; https://blog.wavedisco.com/blog/streaming-loudness-targets",
  },
  {
    id: "tidal",
    name: "Tidal",
    kind: "streaming",
    target_lufs: -14,
    turn_up: "none",
    headroom_dbtp: -1,
    max_tp_dbtp: -1,
    rule: "−14 LUFS (BS.1770-4); Tidal does not raise music quieter than −14 LUFS.",
    source: "https://www.meterplugs.com/blog/2016/10/07/tidal-adds-loudness-normalization.html",
  },
  {
    id: "deezer",
    name: "Deezer",
    kind: "streaming",
    target_lufs: -15,
    turn_up: "none",
    headroom_dbtp: -1,
    max_tp_dbtp: -1,
    rule: "−15 LUFS; modelled as turn-down only.",
    source:
      "https://www.production-expert.com/production-expert-1/apple-choose-16lufs-loudness-level-for-apple-music-heres-why",
  },
  {
    id: "soundcloud",
    name: "SoundCloud",
    kind: "streaming",
    // Checked as the brief asked: sources disagree (one table says −10 LUFS, others "no normalisation");
    // SoundCloud documents none, so the file plays as delivered.
    target_lufs: null,
    turn_up: "none",
    headroom_dbtp: -1,
    max_tp_dbtp: -1,
    rule: "No documented loudness normalisation: the file plays at its own loudness; keep −1 dBTP for its transcodes.",
    source: "https://lexpi.ai/en/loudness-streaming (SoundCloud, Bandcamp: no normalization)",
  },
  {
    id: "ebu_r128",
    name: "EBU R128",
    kind: "broadcast",
    target_lufs: -23,
    turn_up: "none",
    headroom_dbtp: -1,
    max_tp_dbtp: -1,
    tolerance_lu: 0.5,
    rule:
      "Programme loudness −23.0 LUFS ±0.5 LU (R128 v3.0, 2014; v4.0 2020 allows ±1 LU in production and " +
      "±0.2 LU as QC measurement tolerance), maximum true peak −1 dBTP.",
    source: "https://tech.ebu.ch/publications/r128; http://junger-audio.com/en/glossar/r128-ebu-r128",
  },
  {
    id: "atsc_a85",
    name: "ATSC A/85",
    kind: "broadcast",
    target_lufs: -24,
    turn_up: "none",
    headroom_dbtp: -2,
    max_tp_dbtp: -2,
    tolerance_lu: 2,
    rule: "US TV (CALM Act): −24 LKFS ±2 dB, true peak at most −2 dBTP.",
    source:
      "https://manualzilla.com/doc/5733164/a-85-2013 (ATSC A/85:2013); https://apu.software/atsc-a85-us-tv-loudness",
  },
] as const satisfies readonly PlatformRule[];

export type PlatformId = (typeof PLATFORMS)[number]["id"];

export function platformById(id: PlatformId): PlatformRule {
  return PLATFORMS.find((p) => p.id === id) as PlatformRule;
}
