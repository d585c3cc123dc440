// The bot refuses what the web upload refuses, in words: a file that decodes to too long, too many
// channels or too high a sample rate gets the same reason as the HTTP error message, no task is created
// and the downloaded file is gone.

import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { telegramOwnerKey } from "../../../src/accounts";
import { t } from "../../../src/i18n";
import { FakeTelegram } from "../../fakes/telegram";
import { listFiles } from "../../fixtures/files";
import { makeLongFlac, makeWide } from "../../fixtures/hostile";
import { type BotHarness, sendAndChoose, startBot } from "./harness";

let h: BotHarness;
const T = 60_000;

beforeAll(async () => {
  h = await startBot();
}, T);
afterAll(() => h.stop());

const cases = [
  {
    name: "a 6 h FLAC",
    file: () => makeLongFlac(h.dir, { hours: 6 }),
    fileName: "six hours.flac",
    lang: "ru" as const,
    reason: ["audio_too_long", { duration_min: 360, max_min: 30 }] as const,
  },
  {
    name: "8 channels at 384 kHz",
    file: () => makeWide(h.dir, { seconds: 2 }),
    fileName: "wide.flac",
    lang: "en" as const,
    reason: ["sample_rate_unsupported", { rate: 384000, max_hz: 192000 }] as const,
  },
  {
    name: "8 channels at 48 kHz",
    file: () => makeWide(h.dir, { seconds: 2, rate: 48000 }),
    fileName: "surround.flac",
    lang: "en" as const,
    reason: ["too_many_channels", { channels: 8, max: 2 }] as const,
  },
];

describe("bot intake caps", () => {
  cases.forEach((c, i) => {
    it(
      `refuses ${c.name} with the web's reason, no task and no file`,
      async () => {
        const u = FakeTelegram.user(7400 + i, { lang: c.lang });
        const path = await c.file();
        const msg = await sendAndChoose(h, u, path, {
          fileName: c.fileName,
          style: "standard",
          format: "wav24",
        });
        const [code, params] = c.reason;
        const expected = t(c.lang, "bot_intake_failed", {
          name: c.fileName,
          reason: t(c.lang, code, params),
        });
        await h.fake.waitFor(() => msg.text === expected || undefined, 20_000, `refusal: ${expected}`);
        expect(h.jobs.listByOwner(telegramOwnerKey(u.id), 10)).toEqual([]);
        expect(listFiles(h.layout.uploads)).toEqual([]);
      },
      T,
    );
  });
});
