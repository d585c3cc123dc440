// The Postgres schema is the SQLite schema spelled for Postgres: the same tables, columns (name, property,
// nullability, default present, primary key, unique), indexes (name, columns, unique) and foreign keys.
// A table or column added to src/db/schema without its twin in src/db/pg/schema fails here, and so
// does a generated Postgres migration that lags behind the schema.
import { describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { getTableColumns, getTableName, is } from "drizzle-orm";
import { PgTable, getTableConfig as pgConfig } from "drizzle-orm/pg-core";
import { getTableConfig as liteConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import { pgMigrationsFolder } from "../../../src/db/pg/migrate";
import * as pg from "../../../src/db/pg/schema";
import * as lite from "../../../src/db/schema";

const liteTables = Object.values(lite as Record<string, unknown>).filter((v): v is SQLiteTable =>
  is(v, SQLiteTable),
);
const pgTables = Object.values(pg as Record<string, unknown>).filter((v): v is PgTable => is(v, PgTable));
const pgByName = new Map(pgTables.map((t) => [getTableName(t), t]));

type ColumnShape = { name: string; notNull: boolean; hasDefault: boolean; primary: boolean; unique: boolean };
const columnsOf = (t: SQLiteTable | PgTable): Record<string, ColumnShape> =>
  Object.fromEntries(
    Object.entries(getTableColumns(t)).map(([key, c]) => [
      key,
      { name: c.name, notNull: c.notNull, hasDefault: c.hasDefault, primary: c.primary, unique: c.isUnique },
    ]),
  );

const names = (cols: { name: string }[]) => cols.map((c) => c.name);

describe("Postgres schema parity with SQLite", () => {
  it("has every SQLite table and no other", () => {
    expect(pgTables.map(getTableName).sort()).toEqual(liteTables.map(getTableName).sort());
  });

  for (const lt of liteTables) {
    const name = getTableName(lt);
    it(`${name}: same columns, indexes and foreign keys`, () => {
      const pt = pgByName.get(name);
      if (!pt) throw new Error(`no Postgres table ${name} in src/db/pg/schema`);
      const columns = columnsOf(pt);
      for (const [key, shape] of Object.entries(columnsOf(lt))) {
        const twin = columns[key];
        // SQLite autoincrement keys are identity columns: "has a default" on one side only.
        expect({ ...twin, hasDefault: twin?.hasDefault || twin?.primary }).toEqual({
          ...shape,
          hasDefault: shape.hasDefault || shape.primary,
        });
      }
      expect(Object.keys(columns).sort()).toEqual(Object.keys(columnsOf(lt)).sort());
      const l = liteConfig(lt);
      const p = pgConfig(pt);
      const idx = (list: { config: { name?: string; unique: boolean; columns: unknown[] } }[]) =>
        list
          .map((i) => ({
            name: i.config.name,
            unique: i.config.unique,
            columns: names(i.config.columns as { name: string }[]),
          }))
          .sort((a, b) => String(a.name).localeCompare(String(b.name)));
      expect(idx(p.indexes)).toEqual(idx(l.indexes));
      const fks = (
        list: {
          reference: () => {
            columns: { name: string }[];
            foreignTable: unknown;
            foreignColumns: { name: string }[];
          };
          onDelete?: string;
        }[],
      ) =>
        list
          .map((f) => {
            const r = f.reference();
            return {
              columns: names(r.columns),
              table: getTableName(r.foreignTable as PgTable),
              foreign: names(r.foreignColumns),
              onDelete: f.onDelete ?? "no action",
            };
          })
          .sort((a, b) => a.columns.join().localeCompare(b.columns.join()));
      expect(fks(p.foreignKeys)).toEqual(fks(l.foreignKeys));
    });
  }

  it("has a generated migration for the current schema (the last snapshot names every table and column)", () => {
    const folder = pgMigrationsFolder();
    const journal = JSON.parse(readFileSync(join(folder, "meta", "_journal.json"), "utf8")) as {
      entries: { idx: number }[];
    };
    const last = journal.entries.at(-1);
    if (!last) throw new Error("no Postgres migration");
    const snap = JSON.parse(
      readFileSync(join(folder, "meta", `${String(last.idx).padStart(4, "0")}_snapshot.json`), "utf8"),
    ) as { tables: Record<string, { name: string; columns: Record<string, unknown> }> };
    const inSnapshot = Object.fromEntries(
      Object.values(snap.tables).map((t) => [t.name, Object.keys(t.columns).sort()]),
    );
    const inSchema = Object.fromEntries(
      pgTables.map((t) => [
        getTableName(t),
        Object.values(getTableColumns(t))
          .map((c) => c.name)
          .sort(),
      ]),
    );
    expect(inSnapshot).toEqual(inSchema);
  });
});
