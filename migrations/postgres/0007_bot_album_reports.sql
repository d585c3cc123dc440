CREATE TABLE "bot_album_reports" (
	"batch_id" text PRIMARY KEY NOT NULL,
	"chat_id" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"claimed_by" text,
	"claimed_at" bigint,
	"attempts" bigint DEFAULT 0 NOT NULL,
	"error" text,
	"created_at" bigint DEFAULT (floor(extract(epoch from clock_timestamp()) * 1000))::bigint NOT NULL
);
