CREATE TYPE "public"."consent_action" AS ENUM('granted', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."consent_source" AS ENUM('account', 'email-link', 'one-click', 'rep', 'chat', 'register');--> statement-breakpoint
CREATE TYPE "public"."newsletter_status" AS ENUM('queueing', 'queued');--> statement-breakpoint
ALTER TYPE "public"."mail_status" ADD VALUE 'suppressed';--> statement-breakpoint
CREATE TABLE "consent_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"topic_id" text NOT NULL,
	"action" "consent_action" NOT NULL,
	"source" "consent_source" NOT NULL,
	"actor_id" uuid,
	"wording" text NOT NULL,
	"wording_version" integer NOT NULL,
	"policy_version" text NOT NULL,
	"ip" text DEFAULT '' NOT NULL,
	"user_agent" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "email_topics" (
	"id" text PRIMARY KEY NOT NULL,
	"code" integer NOT NULL,
	"mail_class" "mail_class" NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"wording" text NOT NULL,
	"wording_version" integer DEFAULT 1 NOT NULL,
	"list_id" text NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "email_topics_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "newsletters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"topic_id" text NOT NULL,
	"subject" text NOT NULL,
	"body_markdown" text NOT NULL,
	"created_by" uuid,
	"status" "newsletter_status" DEFAULT 'queueing' NOT NULL,
	"recipients" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subscriptions" (
	"user_id" uuid NOT NULL,
	"topic_id" text NOT NULL,
	"status" "consent_action" NOT NULL,
	"source" "consent_source" NOT NULL,
	"opted_in_at" timestamp with time zone,
	"wording_version" integer NOT NULL,
	"last_event_id" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subscriptions_user_id_topic_id_pk" PRIMARY KEY("user_id","topic_id")
);
--> statement-breakpoint
ALTER TABLE "dev_mailbox" ADD COLUMN "headers" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD COLUMN "user_id" uuid;--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD COLUMN "topic_id" text;--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD COLUMN "newsletter_id" uuid;--> statement-breakpoint
ALTER TABLE "consent_events" ADD CONSTRAINT "consent_events_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_events" ADD CONSTRAINT "consent_events_topic_id_email_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."email_topics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_events" ADD CONSTRAINT "consent_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "newsletters" ADD CONSTRAINT "newsletters_topic_id_email_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."email_topics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "newsletters" ADD CONSTRAINT "newsletters_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_topic_id_email_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."email_topics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consent_events_user_idx" ON "consent_events" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "consent_events_topic_day_idx" ON "consent_events" USING btree ("topic_id","created_at");--> statement-breakpoint
CREATE INDEX "subscriptions_topic_status_idx" ON "subscriptions" USING btree ("topic_id","status","user_id");--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD CONSTRAINT "mail_outbox_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD CONSTRAINT "mail_outbox_topic_id_email_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."email_topics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD CONSTRAINT "mail_outbox_newsletter_id_newsletters_id_fk" FOREIGN KEY ("newsletter_id") REFERENCES "public"."newsletters"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mail_outbox_newsletter_idx" ON "mail_outbox" USING btree ("newsletter_id","status");