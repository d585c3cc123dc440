// A held Bot API call for the fake (fake.ts `hold(method)`): the next call of that method is read in
// full and then held unanswered until the test releases it. If its caller goes away meanwhile (a bot
// process killed with SIGKILL), the call is dropped: Telegram never completed it, so no message exists.
// The test waits on events (`arrived`, `settled`), never on time.

import type { FakeCall } from "./types";

export type HoldOutcome = "released" | "dropped";

export class HeldCall {
  private taken = false;
  private onArrive!: (call: FakeCall) => void;
  private onRelease!: () => void;
  private onSettle!: (o: HoldOutcome) => void;
  /** Resolves with the call once it is held (its params and `via`: who sent it). */
  readonly arrived = new Promise<FakeCall>((r) => {
    this.onArrive = r;
  });
  private readonly released = new Promise<void>((r) => {
    this.onRelease = r;
  });
  /** Resolves once the call was answered (released) or dropped (its caller went away). */
  readonly settled = new Promise<HoldOutcome>((r) => {
    this.onSettle = r;
  });

  constructor(
    readonly method: string,
    private readonly match: (call: FakeCall) => boolean = () => true,
  ) {}

  /** This hold is still waiting for a call like `call`. */
  wants(call: FakeCall): boolean {
    return !this.taken && call.method === this.method && this.match(call);
  }

  /** Holds `call` until released or until `signal` (its caller's connection) aborts. */
  async take(call: FakeCall, signal: AbortSignal): Promise<HoldOutcome> {
    this.taken = true;
    this.onArrive(call);
    const gone = new Promise<void>((r) => {
      if (signal.aborted) r();
      signal.addEventListener("abort", () => r(), { once: true });
    });
    await Promise.race([this.released, gone]);
    const outcome: HoldOutcome = signal.aborted ? "dropped" : "released";
    this.onSettle(outcome);
    return outcome;
  }

  release(): void {
    this.onRelease();
  }
}
