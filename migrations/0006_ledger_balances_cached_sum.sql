CREATE TABLE `ledger_balances` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`balance` integer NOT NULL,
	`rows` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- Rows written before the cache existed: their sums, once (the ledger store keeps it from here on).
INSERT INTO `ledger_balances` (`user_id`, `balance`, `rows`, `updated_at`)
SELECT `user_id`, sum(`delta`), count(*), max(`created_at`) FROM `ledger` GROUP BY `user_id`;
