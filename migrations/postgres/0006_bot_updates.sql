CREATE TABLE "bot_updates" (
	"update_id" bigint PRIMARY KEY NOT NULL,
	"handled_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "bot_updates_handled_idx" ON "bot_updates" USING btree ("handled_at");