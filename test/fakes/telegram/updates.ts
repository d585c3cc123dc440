// The fake's update queue and its real getUpdates long poll: an offset confirms the updates below it, a
// poll answers at once when any is pending, else waits for a push, its timeout or its caller going away.

import { type Json, toNum } from "./types";

export class UpdateQueue {
  private updates: Json[] = [];
  private nextId = 1;
  private confirmedBelow = 0;
  private waiters = new Set<() => void>();
  private readonly sent = new Map<number, Json>();

  /** Queues any update (the update_id is assigned here) and wakes the waiting polls. */
  push(body: Json): Json {
    const update = { update_id: this.nextId++, ...body };
    this.updates.push(update);
    this.sent.set(update.update_id, update);
    this.wakeAll();
    return update;
  }

  /**
   * Gives an update again though an offset confirmed it: what Telegram does with one whose leader died
   * before it could confirm it. The next poll without a later offset (a new leader's first) receives it.
   */
  redeliver(updateId: number): void {
    const update = this.sent.get(updateId);
    if (!update) throw new Error(`fake telegram: no update ${updateId}`);
    this.confirmedBelow = Math.min(this.confirmedBelow, updateId);
    if (!this.updates.includes(update))
      this.updates = [...this.updates, update].sort((a, b) => Number(a.update_id) - Number(b.update_id));
    this.wakeAll();
  }

  /** The update_id of the latest update queued (0 before any). */
  get lastUpdateId(): number {
    return this.nextId - 1;
  }

  /** Updates not yet confirmed by a getUpdates offset. */
  get pending(): number {
    return this.updates.filter((u) => Number(u.update_id) >= this.confirmedBelow).length;
  }

  /** deleteWebhook with drop_pending_updates: everything queued so far counts as confirmed. */
  dropPending(): void {
    this.confirmedBelow = this.nextId;
  }

  wakeAll(): void {
    for (const w of this.waiters) w();
    this.waiters.clear();
  }

  async poll(p: Json, signal: AbortSignal): Promise<Json[]> {
    const offset = toNum(p.offset) ?? 0;
    const limit = Math.max(1, Math.min(100, toNum(p.limit) ?? 100));
    const timeout = Math.max(0, toNum(p.timeout) ?? 0);
    if (offset > 0) this.confirmedBelow = Math.max(this.confirmedBelow, offset);
    this.updates = this.updates.filter((u) => Number(u.update_id) >= this.confirmedBelow);
    const pick = () =>
      this.updates
        .filter((u) => Number(u.update_id) >= Math.max(offset, this.confirmedBelow))
        .slice(0, limit);
    const got = pick();
    if (got.length > 0 || timeout === 0) return got;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, timeout * 1000);
      this.waiters.add(done);
      signal.addEventListener("abort", done);
    });
    return pick();
  }
}
