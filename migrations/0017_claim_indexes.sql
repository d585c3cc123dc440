CREATE INDEX `jobs_queued_fair_idx` ON `jobs` (`fair_key`,`id`) WHERE status = 'queued';--> statement-breakpoint
CREATE INDEX `jobs_running_owner_idx` ON `jobs` (`owner_key`) WHERE status = 'running';