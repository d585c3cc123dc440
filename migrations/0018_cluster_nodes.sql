CREATE TABLE `nodes` (
	`id` text PRIMARY KEY NOT NULL,
	`roles` text NOT NULL,
	`leads` text DEFAULT '' NOT NULL,
	`host` text NOT NULL,
	`pid` integer NOT NULL,
	`version` text NOT NULL,
	`started_at` integer NOT NULL,
	`heartbeat_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `nodes_heartbeat_idx` ON `nodes` (`heartbeat_at`);