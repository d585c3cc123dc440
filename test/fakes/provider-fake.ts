// What the payment providers' fakes (yookassa.ts, platega.ts) share: a real HTTP server on loopback
// (Bun.serve on 127.0.0.1:0) answering through the subclass's `handle`, the outgoing deliveries
// (Outbox: retried POSTs to the service), and the switch that holds them until the test releases them.
// Each provider's wire (routes, bodies, auth, state machine) stays in its own file. Test-only.

import { Outbox } from "./outbox";

export abstract class ProviderFake {
  private held: (() => void)[] = [];
  protected readonly outbox: Outbox;
  private readonly server: ReturnType<typeof Bun.serve>;

  /** `what` names the fake's deliveries in errors ("fake platega: callbacks"). */
  constructor(what: string) {
    this.outbox = new Outbox(what);
    this.server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: (req) => this.handle(req) });
  }

  get url(): string {
    return `http://127.0.0.1:${this.server.port}`;
  }

  async stop(): Promise<void> {
    await this.settled(2000).catch(() => {});
    this.server.stop(true);
  }

  /** Resolves when no delivery is in flight (throws after `ms`). */
  settled(ms = 30_000): Promise<void> {
    return this.outbox.settled(ms);
  }

  /** Sends now, or keeps `send` for releaseHeld() when `hold`. */
  protected sendOrHold(send: () => void, hold: boolean): void {
    if (hold) this.held.push(send);
    else send();
  }

  /** Sends what was held, in the order held (reversed when `reverse`). */
  protected releaseHeld(reverse = false): void {
    const held = reverse ? this.held.reverse() : this.held;
    this.held = [];
    for (const send of held) send();
  }

  protected abstract handle(req: Request): Promise<Response>;
}
