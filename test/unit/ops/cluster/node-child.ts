// One cluster node for cluster.test.ts, in its own process: registers on the database in argv[2] with a
// node id argv[3] and a dead interval argv[4] (ms), competes for the bot and scheduler leader locks, and
// listens to the job relay. It prints one JSON line per event on stdout ({ev:"acquired"|"released",
// role}, {ev:"note", publicId, type}, {ev:"ready"}) and reads commands from stdin ("send <id> <type>",
// "stop"), so the test drives it as a real separate node it can SIGKILL.

import { PgClient } from "../../../../src/db";
import { silentLogger } from "../../../../src/log";
import { startClusterNode } from "../../../../src/ops/cluster";

const [url = "", id = "", deadMs = "3000"] = process.argv.slice(2);
const out = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);
const pg = PgClient.connect(url);
const node = startClusterNode({
  pg,
  url,
  id,
  roles: ["worker", "bot", "scheduler"],
  version: "test",
  log: silentLogger,
  deadAfterMs: Number(deadMs),
  leaderRetryMs: 500,
  onNote: (n) => out({ ev: "note", ...n }),
});
node.lead(
  (["bot", "scheduler"] as const).map((role) => ({
    role,
    acquire: () => out({ ev: "acquired", role }),
    release: () => out({ ev: "released", role }),
  })),
);
await node.relay.ready;
out({ ev: "ready" });

const decoder = new TextDecoder();
let buf = "";
for await (const chunk of Bun.stdin.stream()) {
  buf += decoder.decode(chunk);
  for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
    const [cmd, a, b] = buf.slice(0, i).trim().split(" ");
    buf = buf.slice(i + 1);
    if (cmd === "send") node.relay.send({ publicId: a ?? "", type: b === "progress" ? "progress" : "state" });
    if (cmd === "stop") {
      await node.stop();
      pg.close();
      out({ ev: "stopped" });
      process.exit(0);
    }
  }
}
