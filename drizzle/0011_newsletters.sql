ALTER TYPE "public"."newsletter_status" ADD VALUE 'scheduled';--> statement-breakpoint
ALTER TYPE "public"."newsletter_status" ADD VALUE 'cancelled';--> statement-breakpoint
ALTER TABLE "newsletters" ADD COLUMN "send_key" text;--> statement-breakpoint
ALTER TABLE "newsletters" ADD COLUMN "scheduled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "newsletters" ADD COLUMN "time_zone" text;--> statement-breakpoint
ALTER TABLE "newsletters" ADD COLUMN "started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "newsletters" ADD COLUMN "queue_lease_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "newsletters" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "newsletters" ADD COLUMN "cancelled_by" uuid;--> statement-breakpoint
ALTER TABLE "newsletters" ADD CONSTRAINT "newsletters_cancelled_by_users_id_fk" FOREIGN KEY ("cancelled_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "newsletters_send_key" ON "newsletters" USING btree ("send_key");--> statement-breakpoint
CREATE INDEX "newsletters_due_idx" ON "newsletters" USING btree ("status","scheduled_at");