// A provider's object shown to operators as it came, minus anything that is a credential: our own keys
// never travel in answers, but a field named like one (a merchant id, a token) is blanked all the same,
// at any depth, so the panel cannot become a way to read a secret.

const SECRET_KEY =
  /secret|password|passwd|token|authorization|api[_-]?key|merchant[_-]?id|mechantid|signature/i;

export const REDACTED = "[redacted]";

export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = SECRET_KEY.test(k) && v !== null && v !== "" ? REDACTED : withoutSecrets(v);
  return out;
}
