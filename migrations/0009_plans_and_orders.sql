CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`plan_key` text NOT NULL,
	`kind` text NOT NULL,
	`tier` text,
	`period_days` integer DEFAULT 0 NOT NULL,
	`tokens` integer DEFAULT 0 NOT NULL,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`provider` text NOT NULL,
	`provider_payment_id` text,
	`confirmation_url` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`paid_at` integer,
	`refunded_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `orders_provider_payment_uq` ON `orders` (`provider`,`provider_payment_id`);--> statement-breakpoint
CREATE INDEX `orders_user_idx` ON `orders` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `orders_status_idx` ON `orders` (`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `plans` (
	`key` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`tier` text,
	`period_days` integer DEFAULT 0 NOT NULL,
	`tokens` integer DEFAULT 0 NOT NULL,
	`amount_minor` integer NOT NULL,
	`currency` text DEFAULT 'RUB' NOT NULL,
	`stars` integer,
	`label_ru` text NOT NULL,
	`label_en` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`sort` integer DEFAULT 0 NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
