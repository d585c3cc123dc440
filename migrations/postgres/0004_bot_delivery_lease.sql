DROP INDEX "jobs_bot_pending_idx";--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "bot_delivery_by" text;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "bot_delivery_at" bigint;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "bot_delivery_attempts" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "bot_delivery_error" text;--> statement-breakpoint
CREATE INDEX "jobs_bot_due_idx" ON "jobs" USING btree ("finished_at") WHERE bot_delivery IN ('pending', 'claimed');