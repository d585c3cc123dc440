ALTER TABLE "jobs" ADD COLUMN "bot_delivery" text;--> statement-breakpoint
CREATE INDEX "jobs_bot_pending_idx" ON "jobs" USING btree ("finished_at") WHERE bot_delivery = 'pending';