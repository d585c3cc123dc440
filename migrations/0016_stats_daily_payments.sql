ALTER TABLE `stats_daily` ADD `orders_created` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `stats_daily` ADD `orders_paid` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `stats_daily` ADD `revenue_minor` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `stats_daily` ADD `refunds_minor` text DEFAULT '{}' NOT NULL;