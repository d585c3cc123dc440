// The payment fakes' outgoing side (YooKassa notifications, Platega callbacks): one delivery is POSTed
// until the service answers 200 or the attempts run out, each attempt's status recorded, and the fake can
// wait until nothing is in flight. Test-only.

/** What a delivery records: the status of every attempt (0: refused, reset or timed out), done after a 200. */
export type Attempts = { attempts: number[]; done: boolean };

export type Attempting = {
  /** One attempt (read anew each time, so the fake's current URL and headers are used). */
  post: () => Promise<Response>;
  /** How many attempts in all (read before each one). */
  maxAttempts: () => number;
  /** Delays between attempts, ms (the last one repeats). */
  retryMs: () => readonly number[];
};

export class Outbox {
  private inFlight = new Set<Promise<void>>();

  /** `what` names the fake and its deliveries in the settled() error ("fake platega: callbacks"). */
  constructor(private readonly what: string) {}

  /** Starts a delivery in the background; `d` is filled in as attempts are made. */
  send(d: Attempts, o: Attempting): void {
    const run = (async () => {
      for (let i = 0; i < o.maxAttempts() && !d.done; i++) {
        const retryMs = o.retryMs();
        if (i > 0) await Bun.sleep(retryMs[Math.min(i - 1, retryMs.length - 1)] ?? 100);
        let status = 0;
        try {
          const res = await o.post();
          status = res.status;
          await res.arrayBuffer();
        } catch {
          status = 0; // refused / reset / timed out
        }
        d.attempts.push(status);
        if (status === 200) d.done = true;
      }
    })();
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  /** Resolves when no delivery is in flight (throws after `ms`). */
  async settled(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (this.inFlight.size) {
      if (Date.now() > deadline) throw new Error(`${this.what} still in flight after ${ms} ms`);
      await Promise.race([...this.inFlight, Bun.sleep(50)]);
    }
  }
}
