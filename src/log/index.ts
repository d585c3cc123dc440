// JSON-lines logger: one object per line on stdout (journald keeps it), with `ts level event msg`
// and fields. Child loggers carry fixed keys such as task_id / user_id / request_id.

export type Level = "debug" | "info" | "warn" | "error";
export type Fields = Record<string, unknown>;

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Keys whose values are never written, whatever the caller passes. */
const SECRET_KEY = /token|secret|password|passwd|authorization|api_key|apikey|cookie|hash/i;

export type Sink = (line: string) => void;

export interface Logger {
  debug(event: string, msg?: string, fields?: Fields): void;
  info(event: string, msg?: string, fields?: Fields): void;
  warn(event: string, msg?: string, fields?: Fields): void;
  error(event: string, msg?: string, fields?: Fields): void;
  /** A logger that adds `fields` to every line (e.g. `{ task_id }`). */
  child(fields: Fields): Logger;
}

const decoded = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** A path segment "ID.TOKEN" (a job handle): the id stays readable, the secret part goes. */
const HANDLE_SEGMENT = /^([A-Za-z0-9]{1,32})\.([A-Za-z0-9_-]{16,})$/;

/**
 * A request path (with or without its query) fit for a log line: job handles in the path lose their token
 * part and query values whose name looks secret (`token`, `api_key`, …) become `<redacted>`.
 */
export function redactUrl(pathAndQuery: string): string {
  const q = pathAndQuery.indexOf("?");
  const path = q < 0 ? pathAndQuery : pathAndQuery.slice(0, q);
  const safePath = path
    .split("/")
    .map((seg) => {
      const m = HANDLE_SEGMENT.exec(decoded(seg));
      return m ? `${m[1]}.<redacted>` : seg;
    })
    .join("/");
  if (q < 0) return safePath;
  const query = pathAndQuery
    .slice(q + 1)
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const key = eq < 0 ? pair : pair.slice(0, eq);
      return eq >= 0 && SECRET_KEY.test(decoded(key.replaceAll("+", " "))) ? `${key}=<redacted>` : pair;
    })
    .join("&");
  return `${safePath}?${query}`;
}

function scrub(value: unknown, depth = 0): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (depth > 4 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Fields = {};
  for (const [k, v] of Object.entries(value))
    out[k] = SECRET_KEY.test(k) ? "<redacted>" : scrub(v, depth + 1);
  return out;
}

const defaultSink: Sink = (line) => {
  process.stdout.write(`${line}\n`);
};

/** Creates a logger writing lines at or above `level` to `sink` (stdout by default). */
export function createLogger(level: Level = "info", sink: Sink = defaultSink, base: Fields = {}): Logger {
  const min = ORDER[level];
  const write = (lvl: Level, event: string, msg = "", fields: Fields = {}) => {
    if (ORDER[lvl] < min) return;
    const record = {
      ts: new Date().toISOString(),
      level: lvl,
      event,
      msg,
      ...(scrub({ ...base, ...fields }) as Fields),
    };
    let line: string;
    try {
      line = JSON.stringify(record);
    } catch {
      line = JSON.stringify({ ts: record.ts, level: lvl, event, msg, note: "fields not serialisable" });
    }
    sink(line);
  };
  return {
    debug: (e, m, f) => write("debug", e, m, f),
    info: (e, m, f) => write("info", e, m, f),
    warn: (e, m, f) => write("warn", e, m, f),
    error: (e, m, f) => write("error", e, m, f),
    child: (fields) => createLogger(level, sink, { ...base, ...fields }),
  };
}

/** A logger that writes nothing (for tests and the pure CLI verbs). */
export const silentLogger: Logger = createLogger("error", () => {});
