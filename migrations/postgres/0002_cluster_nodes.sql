CREATE TABLE "nodes" (
	"id" text PRIMARY KEY NOT NULL,
	"roles" text NOT NULL,
	"leads" text DEFAULT '' NOT NULL,
	"host" text NOT NULL,
	"pid" bigint NOT NULL,
	"version" text NOT NULL,
	"started_at" bigint NOT NULL,
	"heartbeat_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "nodes_heartbeat_idx" ON "nodes" USING btree ("heartbeat_at");