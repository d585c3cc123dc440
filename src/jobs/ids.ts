// Public job ids (short, typeable, unambiguous) and access tokens (unguessable). Random only, never derived
// from row ids, so ids reveal nothing about volume.

import { randomBytes, timingSafeEqual } from "node:crypto";

/** No 0/O, 1/I/L or U: a user reading "task #K7M2QX" aloud or retyping it cannot confuse characters. */
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
export const PUBLIC_ID_LENGTH = 6;
export const PUBLIC_ID_PATTERN = /^[2-9A-HJKMNP-TV-Z]{6}$/;

/** A new public id such as "K7M2QX" (30^6 ≈ 7×10^8 values; collisions are retried by the caller). */
export function newPublicId(): string {
  const bytes = randomBytes(PUBLIC_ID_LENGTH * 2);
  let out = "";
  for (let i = 0; out.length < PUBLIC_ID_LENGTH; i++) {
    const b = bytes[i % bytes.length] ?? 0;
    // 240 = 8 × 30: rejecting bytes above it keeps every character equally likely.
    if (b < 240 || i >= bytes.length) out += ALPHABET[b % ALPHABET.length];
  }
  return out;
}

/** Normalises what a human typed ("k7m2qx", " #K7M2QX ") to the stored form, or null if it cannot be an id. */
export function normalisePublicId(input: string): string | null {
  const id = input.trim().replace(/^#/, "").toUpperCase();
  return PUBLIC_ID_PATTERN.test(id) ? id : null;
}

/** 32 random bytes, base64url (43 characters). */
export function newAccessToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Constant-time comparison of two tokens. */
export function tokensMatch(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
