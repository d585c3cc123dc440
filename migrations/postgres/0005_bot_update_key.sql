ALTER TABLE "jobs" ADD COLUMN "bot_update_key" text;--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_bot_update_key_idx" ON "jobs" USING btree ("bot_update_key");