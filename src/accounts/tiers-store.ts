// The tiers store: tiers and tier usage (accounts owns both tables). Rows in, plain objects out; no policy
// here. SQLite: ./sqlite/tiers.ts.

import type { Tier } from "./tiers-data";

export interface TierStore {
  /** Inserts the tiers that are missing; an edited tier is never overwritten. */
  seed(defaults: readonly Tier[], now: number): void;
  list(): Tier[];
  find(name: string): Tier | undefined;
  update(t: Tier, now: number): void;
  /** Counted, unreleased jobs of `kind` the subject started since `since`. */
  used(subject: string, kind: string, since: number): number;
  /** Records one counted job; false when `ref` was recorded already. */
  record(subject: string, kind: string, ref: string, now: number): boolean;
  /** True while the job is counted and not given back. */
  counted(ref: string): boolean;
  /** Gives a counted job back (it failed or was cancelled); once. */
  release(ref: string, now: number): void;
  /** The tier name on the user's row (undefined: no such user). */
  userTier(userId: number): string | undefined;
  /** Every counted job of `from` now counts for `to` (a Telegram link merging two users). */
  moveUsage(from: string, to: string): number;
}
