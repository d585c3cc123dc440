DROP INDEX `jobs_claim_idx`;--> statement-breakpoint
ALTER TABLE `jobs` ADD `fair_key` real DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `jobs_fair_idx` ON `jobs` (`status`,`fair_key`);--> statement-breakpoint
-- Jobs already waiting at the upgrade: each owner's jobs take turns 0, 1, 2, … in their old order, minus
-- the priority boost new jobs get (jobs/sqlite/fair.ts), so owners alternate from the first claim on.
UPDATE `jobs` SET `fair_key` = (
  SELECT count(*) FROM `jobs` o
  WHERE o.`owner_key` = `jobs`.`owner_key` AND o.`status` = 'queued'
    AND (o.`created_at` < `jobs`.`created_at` OR (o.`created_at` = `jobs`.`created_at` AND o.`id` < `jobs`.`id`))
) - `priority` * 0.1
WHERE `status` = 'queued';
