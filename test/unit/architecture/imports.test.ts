// Dependencies point down (DESIGN.md): every relative import under src/ is read (type-only, re-exports
// and dynamic import() included, via TypeScript's own pre-processor, so comments and strings never
// count) and checked against three rules:
//   1. a file reaches another folder only through that folder's index.ts (its public face); imports
//      inside one folder, sub-folders included, are free;
//   2. no import goes up a row of LAYERS (same-row imports are allowed while they form no cycle);
//   3. the folder-level graph has no cycle;
//   4. the edges (http/, bot/, scheduler/, cli/) never hold the database: no drizzle-orm, and nothing of
//      db/ that is a handle or a table (DbHandle, Db, openDb, schema). They call the areas' services.
//      Exceptions: cli/context.ts (the CLI's wiring, like service.ts) and cli/db.ts (migrate/restore
//      open the file itself).
// Units: each folder src/<x>/ is one unit; a top-level file is a unit of its own and is its own face:
//   - src/main.ts is the entry (top row): argv → a verb from src/cli/index.ts;
//   - src/service.ts wires every area into the running service, so it sits in the edge row with cli/
//     (cli/serve.ts starts it) and may import any lower unit's index; src/service-admin.ts is the part of
//     that wiring for the admin panel's operations routes, in the same row; so are src/service-cluster.ts
//     (the service as a cluster node on Postgres), src/service-accounts.ts (the accounts services),
//     src/service-http.ts (the app and its server), src/service-guards.ts (process guards) and
//     src/service-stop.ts (the stop sequence), src/service-bot.ts (the bot, notifier and receipts),
//     src/service-db.ts (the database open), src/service-health.ts (the health answer) and
//     src/service-scheduler.ts (the scheduler's wiring);
//   - src/cli/* are the operator's edge, like http/ and bot/: they call services, never stores;
//   - src/errors.ts and src/version.ts sit at the bottom with i18n/: everything may use them.
// Imports of files outside src/ (package.json) are not units and are ignored.
import { describe, expect, it } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

const SRC = resolve(import.meta.dir, "../../../src");

/** Top row first. A unit may import its own row and the rows below it. */
const LAYERS: readonly (readonly string[])[] = [
  ["main"],
  [
    "cli",
    "service",
    "service-accounts",
    "service-admin",
    "service-cluster",
    "service-guards",
    "service-http",
    "service-stop",
    "service-bot",
    "service-db",
    "service-health",
    "service-scheduler",
    "http",
    "bot",
    "scheduler",
  ],
  ["jobs", "accounts", "billing", "files", "settings", "ops", "notify"],
  ["audio", "db", "config", "log"],
  ["i18n", "errors", "version"],
];

/**
 * Known violations, each `from-file -> target-file` (paths under src/, no extension). The list may only
 * shrink: an entry that no longer occurs fails the test, so a fixed import is removed from here too.
 */
const ALLOWED: readonly string[] = [];

type Edge = { from: string; to: string; fromUnit: string; toUnit: string };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return p.endsWith(".ts") && !p.endsWith(".d.ts") ? [p] : [];
  });
}

/** Resolves a relative specifier the way Bun does for our sources: x.ts, or x/index.ts. */
function resolveImport(fromFile: string, spec: string): string | null {
  const base = resolve(dirname(fromFile), spec);
  for (const candidate of [base, `${base}.ts`, join(base, "index.ts")]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // next candidate
    }
  }
  return null;
}

/** "jobs/store" for src/jobs/store.ts, "service" for src/service.ts. */
const idOf = (file: string) => relative(SRC, file).replace(/\.ts$/, "");
const unitOf = (id: string) => id.split("/")[0] as string;
/** A folder's face is its index; a top-level file is its own face. */
const isFace = (id: string) => !id.includes("/") || (id.split("/").length === 2 && id.endsWith("/index"));

function collectEdges(): { edges: Edge[]; unresolved: string[] } {
  const edges: Edge[] = [];
  const unresolved: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    for (const { fileName: spec } of info.importedFiles) {
      if (!spec.startsWith(".")) continue; // packages and node:/bun: builtins
      const target = resolveImport(file, spec);
      if (!target) {
        unresolved.push(`${idOf(file)} -> ${spec}`);
        continue;
      }
      if (relative(SRC, target).startsWith("..")) continue; // outside src/ (package.json)
      const from = idOf(file);
      const to = idOf(target);
      edges.push({ from, to, fromUnit: unitOf(from), toUnit: unitOf(to) });
    }
  }
  return { edges, unresolved };
}

const { edges, unresolved } = collectEdges();
const crossing = edges.filter((e) => e.fromUnit !== e.toUnit);
const rowOf = new Map(LAYERS.flatMap((row, i) => row.map((u) => [u, i] as const)));

/** Strongly connected components with more than one unit (Tarjan), each sorted, for a stable report. */
function cycles(): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const e of crossing) {
    if (!graph.has(e.fromUnit)) graph.set(e.fromUnit, new Set());
    graph.get(e.fromUnit)?.add(e.toUnit);
  }
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, idx.get(w) ?? 0));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

const EDGES = ["http", "bot", "scheduler", "cli"];
const WIRING = ["cli/context", "cli/db"];
const DB_HANDLES = new Set(["DbHandle", "Db", "openDb", "schema"]);

/** `file: name` for every import of drizzle-orm, or of a handle/table name from db/, in an edge file. */
function edgeDbImports(): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const id = idOf(file);
    if (!EDGES.includes(unitOf(id)) || WIRING.includes(id)) continue;
    const sf = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
    for (const st of sf.statements) {
      if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
      const spec = st.moduleSpecifier.text;
      if (spec.startsWith("drizzle-orm")) {
        found.push(`${id}: ${spec}`);
        continue;
      }
      const target = spec.startsWith(".") ? resolveImport(file, spec) : null;
      if (!target || unitOf(idOf(target)) !== "db") continue;
      const bindings = st.importClause?.namedBindings;
      const names =
        bindings && ts.isNamedImports(bindings) ? bindings.elements.map((e) => e.name.text) : ["*"];
      for (const n of names) if (n === "*" || DB_HANDLES.has(n)) found.push(`${id}: ${n}`);
    }
  }
  return found.sort();
}

describe("src/ import structure", () => {
  it("reads a real graph (every relative import resolves; every unit has a row)", () => {
    expect(unresolved).toEqual([]);
    expect(crossing.length).toBeGreaterThan(100);
    const units = new Set(sourceFiles(SRC).map((f) => unitOf(idOf(f))));
    expect([...units].filter((u) => !rowOf.has(u)).sort()).toEqual([]);
  });

  it("reaches other folders only through their index.ts (the allow-list may only shrink)", () => {
    const past = [
      ...new Set(crossing.filter((e) => !isFace(e.to)).map((e) => `${e.from} -> ${e.to}`)),
    ].sort();
    expect(past.filter((p) => !ALLOWED.includes(p))).toEqual([]);
    expect(ALLOWED.filter((a) => !past.includes(a))).toEqual([]); // fixed: remove it from ALLOWED
  });

  it("never imports up a row of DESIGN.md's dependency order", () => {
    const up = crossing
      .filter((e) => (rowOf.get(e.toUnit) ?? 0) < (rowOf.get(e.fromUnit) ?? 0))
      .map((e) => `${e.from} -> ${e.to}`);
    expect([...new Set(up)].sort()).toEqual([]);
  });

  it("has no folder-level import cycle", () => {
    expect(cycles()).toEqual([]);
  });

  it("keeps the database handle out of the edges (http, bot, scheduler, cli)", () => {
    expect(edgeDbImports()).toEqual([]);
  });
});
