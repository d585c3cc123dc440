// The fake Telegram Bot API (test/fakes/telegram): fake.ts is the class tests drive, server.ts the HTTP
// side, files.ts / updates.ts / messages.ts its state.

export { FakeTelegram } from "./fake";
export type { AudioSendOptions, FakeCall, FakeMessage, FakeUser, Json } from "./types";
export { buttonsOf } from "./types";
