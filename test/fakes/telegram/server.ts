// The fake's HTTP side: `/bot<token>/<method>` (optionally tagged `/n/<tag>/bot…`) and downloads under
// `/file/bot<token>/<path>`; every call is recorded, then held, failed by an injection or a block, or
// dispatched to the method it names.

import type { FileRegistry } from "./files";
import type { HeldCall } from "./hold";
import type { MessageBook } from "./messages";
import { type FakeStars, StarsFailure } from "./stars";
import { ApiFailure, type FakeCall, type Injected, type Json, reply, requireString, toNum } from "./types";
import type { UpdateQueue } from "./updates";
import { decodeRequest, type UploadedPart } from "./wire";

/** Everything the server side reads and writes; the FakeTelegram owns it and shows parts of it to tests. */
export type ServerState = {
  token: string;
  botInfo: Json;
  calls: FakeCall[];
  commands: Map<string, unknown[]>;
  answeredCallbacks: Json[];
  chatActions: Json[];
  stars: FakeStars;
  files: FileRegistry;
  updates: UpdateQueue;
  messages: MessageBook;
  injected: Map<string, Injected[]>;
  blocked: Set<number>;
  holds: HeldCall[];
  webhook: { url: string };
};

export async function handle(s: ServerState, req: Request): Promise<Response> {
  const url = new URL(req.url);
  const tagged = /^\/n\/([^/]+)(\/.*)$/.exec(url.pathname);
  const via = tagged ? decodeURIComponent(tagged[1] ?? "") : undefined;
  const path = tagged ? (tagged[2] ?? "") : url.pathname;
  const fileRoute = /^\/file\/bot([^/]+)\/(.+)$/.exec(path);
  if (fileRoute) return s.files.download(fileRoute[1] ?? "", decodeURIComponent(fileRoute[2] ?? ""), s.calls);
  const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(path);
  if (!m) return reply(404, { ok: false, error_code: 404, description: "Not Found" });
  const [, token = "", method = ""] = m;
  let params: Json = {};
  let files = new Map<string, UploadedPart>();
  try {
    ({ params, files } = await decodeRequest(req));
  } catch {
    return reply(400, { ok: false, error_code: 400, description: "Bad Request: can't parse request body" });
  }
  const call: FakeCall = { method, params, at: Date.now(), ok: true, ...(via ? { via } : {}) };
  s.calls.push(call);
  const fail = (code: number, description: string, retry_after?: number) => {
    call.ok = false;
    call.error_code = code;
    const body: Json = { ok: false, error_code: code, description };
    if (retry_after !== undefined) body.parameters = { retry_after };
    return reply(code, body);
  };
  if (token !== s.token) return fail(401, "Unauthorized");
  const held = s.holds.find((h) => h.wants(call));
  if (held && (await held.take(call, req.signal)) === "dropped") {
    call.ok = false;
    call.dropped = true;
    return new Response(null, { status: 499 });
  }
  const inj = s.injected.get(method)?.[0];
  if (inj) {
    inj.remaining--;
    if (inj.remaining <= 0) s.injected.get(method)?.shift();
    return fail(inj.error_code, inj.description, inj.retry_after);
  }
  const chatId = toNum(params.chat_id);
  if (chatId !== undefined && s.blocked.has(chatId) && method !== "getChat") {
    return fail(403, "Forbidden: bot was blocked by the user");
  }
  try {
    const result = await dispatch(s, method, params, files, req.signal);
    return reply(200, { ok: true, result });
  } catch (e) {
    if (e instanceof ApiFailure) return fail(e.code, e.description);
    throw e;
  }
}

async function dispatch(
  s: ServerState,
  method: string,
  p: Json,
  files: Map<string, UploadedPart>,
  signal: AbortSignal,
): Promise<unknown> {
  switch (method) {
    case "getMe":
      return s.botInfo;
    case "logOut":
    case "close":
      return true;
    case "deleteWebhook":
      s.webhook.url = "";
      if (p.drop_pending_updates === true) s.updates.dropPending();
      return true;
    case "setWebhook":
      s.webhook.url = String(p.url ?? "");
      return true;
    case "getWebhookInfo":
      return { url: s.webhook.url, has_custom_certificate: false, pending_update_count: s.updates.pending };
    case "getUpdates":
      return s.updates.poll(p, signal);
    case "setMyCommands":
      s.commands.set(commandKey(p), Array.isArray(p.commands) ? p.commands : []);
      return true;
    case "getMyCommands":
      return s.commands.get(commandKey(p)) ?? [];
    case "deleteMyCommands":
      s.commands.delete(commandKey(p));
      return true;
    case "sendMessage":
      return s.messages.send(p, { text: requireString(p.text, "message text is empty") });
    case "sendDocument": {
      const document = s.files.documentOf(p, files);
      return s.messages.send(p, { caption: typeof p.caption === "string" ? p.caption : undefined, document });
    }
    case "editMessageText":
      return s.messages.edit(p, "text");
    case "editMessageCaption":
      return s.messages.edit(p, "caption");
    case "editMessageReplyMarkup":
      return s.messages.edit(p, "markup");
    case "deleteMessage": {
      const msg = s.messages.find(p);
      msg.deleted = true;
      return true;
    }
    case "sendChatAction":
      s.chatActions.push(p);
      return true;
    case "sendInvoice":
    case "answerPreCheckoutQuery":
    case "refundStarPayment":
      try {
        if (method === "answerPreCheckoutQuery") return s.stars.answerPreCheckoutQuery(p);
        if (method === "refundStarPayment") return s.stars.refundStarPayment(p);
        const msg = s.messages.send(p, {});
        msg.invoice = s.stars.sendInvoice(p, toNum(p.chat_id) ?? 0, Number(msg.message_id));
        return msg;
      } catch (e) {
        if (e instanceof StarsFailure) throw new ApiFailure(400, e.description);
        throw e;
      }
    case "answerCallbackQuery":
      s.answeredCallbacks.push(p);
      return true;
    case "getFile":
      return s.files.getFile(p);
    default:
      throw new ApiFailure(404, "Not Found: method not found");
  }
}

function commandKey(p: Json): string {
  const scope =
    p.scope && typeof p.scope === "object" ? JSON.stringify(p.scope) : JSON.stringify({ type: "default" });
  return `${scope}|${typeof p.language_code === "string" ? p.language_code : ""}`;
}
