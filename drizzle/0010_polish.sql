CREATE TYPE "public"."recovery_kind" AS ENUM('not_me', 'email_undo');--> statement-breakpoint
ALTER TYPE "public"."consent_source" ADD VALUE 'resubscribe';--> statement-breakpoint
CREATE TABLE "profile_mail_digests" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"changes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"first_at" timestamp with time zone DEFAULT now() NOT NULL,
	"due_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recovery_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" "recovery_kind" NOT NULL,
	"token_hash" text NOT NULL,
	"old_email" text,
	"event_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dev_mailbox" ADD COLUMN "html_body" text;--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD COLUMN "html_body" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "time_zone" text;--> statement-breakpoint
ALTER TABLE "profile_mail_digests" ADD CONSTRAINT "profile_mail_digests_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recovery_tokens" ADD CONSTRAINT "recovery_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "profile_mail_digests_due_idx" ON "profile_mail_digests" USING btree ("due_at");--> statement-breakpoint
CREATE UNIQUE INDEX "recovery_tokens_token_hash_key" ON "recovery_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "recovery_tokens_user_idx" ON "recovery_tokens" USING btree ("user_id");