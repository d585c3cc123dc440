// Files between Telegram and the data folder, in the two modes the Bot API has. Cloud
// (api.telegram.org): getFile answers a relative file_path that is downloaded from
// `<root>/file/bot<token>/<path>`, bots get files up to 20 MB and upload up to 50 MB. Local (a
// self-hosted `telegram-bot-api --local`, MM_TELEGRAM_LOCAL_API=on): getFile answers the absolute path
// of the file in the server's working directory, which we read directly (the server does not serve it
// over HTTP), and both limits become 2000 MB. Results are uploaded as multipart in both modes, streamed
// from disk, so the server never needs to see our data folder.

import { isAbsolute } from "node:path";
import type { Api } from "grammy";
import type { Config } from "../config";
import { uploadLimitBytes } from "../files";

const MB = 1024 * 1024;
/** Telegram will not hand bots files above 20 MB (getFile) from its cloud Bot API. */
export const TELEGRAM_DOWNLOAD_LIMIT = 20 * MB;
/** Bots may upload documents up to 50 MB to the cloud Bot API; larger results go as a download link. */
export const TELEGRAM_UPLOAD_LIMIT = 50 * MB;
/** A local Bot API server takes and hands over files up to 2000 MB. */
export const TELEGRAM_LOCAL_LIMIT = 2000 * MB;

type ModeConfig = Pick<Config, "MM_TELEGRAM_LOCAL_API">;
type FileConfig = ModeConfig &
  Pick<
    Config,
    | "MM_BOT_TOKEN"
    | "MM_TELEGRAM_API_ROOT"
    | "MM_UPLOAD_MAX_MB_WAV"
    | "MM_UPLOAD_MAX_MB_FLAC"
    | "MM_UPLOAD_MAX_MB_LOSSY"
  >;

export const isLocalApi = (config: ModeConfig): boolean => config.MM_TELEGRAM_LOCAL_API === "on";

/** The largest result sent as a document; above it the user gets a download link. */
export const telegramUploadLimit = (config: ModeConfig): number =>
  isLocalApi(config) ? TELEGRAM_LOCAL_LIMIT : TELEGRAM_UPLOAD_LIMIT;

/**
 * The largest file `name` the bot takes: Telegram's own limit, and in local mode (where Telegram's is
 * 2000 MB) also the format's upload limit the web app applies (MM_UPLOAD_MAX_MB_*).
 */
export function telegramDownloadLimit(config: FileConfig, name: string): number {
  if (!isLocalApi(config)) return TELEGRAM_DOWNLOAD_LIMIT;
  return Math.min(TELEGRAM_LOCAL_LIMIT, uploadLimitBytes(name, config as Config));
}

/** The largest file the bot takes, in MB, for "send a track (up to N MB)". */
export const botLimitMb = (config: FileConfig): number => Math.floor(telegramDownloadLimit(config, "") / MB);

/**
 * The bytes of Telegram file `fileId` as a stream. An absolute file_path (local mode) is read from this
 * machine's disk — the server's working directory must be mounted here at the same path; a relative one
 * is downloaded from the API root.
 */
export async function openTelegramFile(
  api: Api,
  config: FileConfig,
  fileId: string,
): Promise<{ body: ReadableStream<Uint8Array>; path: string; local: boolean }> {
  const file = await api.getFile(fileId);
  const path = file.file_path;
  if (!path) throw new Error("getFile returned no file_path");
  if (isAbsolute(path)) {
    const f = Bun.file(path);
    if (!(await f.exists()))
      throw new Error(
        `the local Bot API server named ${path}, which this machine cannot read: mount its working directory here at the same path`,
      );
    return { body: f.stream(), path, local: true };
  }
  const root = config.MM_TELEGRAM_API_ROOT.replace(/\/+$/, "");
  const res = await fetch(`${root}/file/bot${config.MM_BOT_TOKEN}/${path}`);
  if (!res.ok || !res.body) throw new Error(`file download answered ${res.status}`);
  return { body: res.body, path, local: false };
}
