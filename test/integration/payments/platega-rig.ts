// The Platega suites' shared set-up (platega-suite.ts, platega-settle-suite.ts): a fake Platega, the
// service on the suite's backend pointed at it (test/fixtures/payments.ts), the faults reset after each
// test, and the reads a Platega test makes. Call it inside the suite's describe: it registers the hooks.
import { afterAll, afterEach, beforeAll, expect } from "bun:test";
import { FakePlatega } from "../../fakes/platega";
import { rawSql } from "../../fixtures/backends";
import { type Buyer, PaymentsRig } from "../../fixtures/payments";
import type { ApiBackend } from "../api/backends";

export type Created = {
  order_id: string;
  provider: string;
  payment_id: string;
  confirmation_url: string;
  status: string;
};

export function usePlatega(b: ApiBackend) {
  let pg: FakePlatega | undefined;
  const fake = (): FakePlatega => {
    if (!pg) throw new Error("the fake Platega is not started");
    return pg;
  };
  const rig = new PaymentsRig(b, {
    dirPrefix: "mm-platega-",
    env: () => ({ ...fake().serviceEnv(), MM_PAYMENT_RECONCILE_MIN: "0" }),
    started: (url) => {
      fake().callbackUrl = `${url}/api/payments/platega/callback`;
    },
  });
  const create = (u: Buyer, body: unknown, lang = "en") => rig.create(u, body, { "accept-language": lang });
  async function bought(u: Buyer, plan = "tokens_5"): Promise<Created> {
    const res = await create(u, { plan, provider: "platega" });
    expect(res.status).toBe(200);
    return (await res.json()) as Created;
  }

  beforeAll(async () => {
    pg = new FakePlatega();
    await rig.start();
  });
  afterAll(async () => {
    await rig.stop();
    await pg?.stop();
  });
  afterEach(async () => {
    const f = fake();
    await f.settled();
    f.faults = { down: 0, failAfterCreate: 0 };
    f.notify = { duplicate: 1, wrongSecret: false, hold: false };
  });

  return {
    rig,
    fake,
    signUp: () => rig.signUp("pg-buyer"),
    create,
    bought,
    me: (u: Buyer) => rig.me(u),
    order: (u: Buyer, id: string) => rig.order(u, id),
    ordersOf: (u: Buyer) =>
      rawSql(rig.s.backend).all<{ id: string; status: string; provider_payment_id: string | null }>(
        "SELECT id, status, provider_payment_id FROM orders WHERE user_id = $1",
        [u.id],
      ),
    rowsOf: (transactionId: string) => rig.ledger(`platega:${transactionId}`),
    logged: rig.logged.bind(rig),
  };
}
