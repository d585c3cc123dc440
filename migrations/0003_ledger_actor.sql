DROP INDEX `ledger_user_idx`;--> statement-breakpoint
ALTER TABLE `ledger` ADD `actor` text DEFAULT 'system' NOT NULL;--> statement-breakpoint
CREATE INDEX `ledger_user_delta_idx` ON `ledger` (`user_id`,`delta`);