// The store of one-time e-mail links (email_tokens): verification and password reset. Only hashes are
// stored; consuming a token is one guarded UPDATE … WHERE used_at IS NULL AND not expired RETURNING, so
// two requests racing with the same link cannot both succeed. SQLite: ./sqlite/email-tokens.ts.

export type EmailTokenKind = "verify" | "reset";

export interface EmailTokenStore {
  insert(t: {
    userId: number;
    kind: EmailTokenKind;
    tokenHash: string;
    now: number;
    expiresAt: number;
  }): void;
  /** Marks the token used and returns its user, or undefined (unknown, wrong kind, expired or used). */
  consume(tokenHash: string, kind: EmailTokenKind, now: number): number | undefined;
  /** Deletes the user's unused tokens of this kind (a reset voids every other reset link). */
  deleteUnused(userId: number, kind: EmailTokenKind): number;
  /** Deletes tokens expired before `now`, used or not (the sweep task). Returns how many. */
  deleteExpired(now: number): number;
}
