CREATE TYPE "public"."policy_status" AS ENUM('draft', 'published');--> statement-breakpoint
CREATE TYPE "public"."privacy_choice" AS ENUM('cookies_functional', 'cookies_analytics', 'area_offers');--> statement-breakpoint
CREATE TABLE "area_offers" (
	"id" serial PRIMARY KEY NOT NULL,
	"zip_prefix" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"monthly_price_cents" integer NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "policy_notices" (
	"policy_version_id" integer NOT NULL,
	"user_id" uuid NOT NULL,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "policy_notices_policy_version_id_user_id_pk" PRIMARY KEY("policy_version_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "policy_versions" (
	"id" serial PRIMARY KEY NOT NULL,
	"version" text NOT NULL,
	"title" text DEFAULT 'Online Privacy Policy' NOT NULL,
	"markdown" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"material" boolean DEFAULT false NOT NULL,
	"status" "policy_status" DEFAULT 'draft' NOT NULL,
	"effective_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"created_by" uuid,
	"published_by" uuid,
	"row_version" integer DEFAULT 1 NOT NULL,
	"notice_total" integer DEFAULT 0 NOT NULL,
	"notice_queued" integer DEFAULT 0 NOT NULL,
	"notice_cursor" uuid,
	"notice_done_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "policy_versions_version_unique" UNIQUE("version")
);
--> statement-breakpoint
CREATE TABLE "privacy_choice_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"choice" "privacy_choice" NOT NULL,
	"action" "consent_action" NOT NULL,
	"source" text NOT NULL,
	"wording" text NOT NULL,
	"policy_version" text NOT NULL,
	"ip" text DEFAULT '' NOT NULL,
	"user_agent" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "privacy_choices" (
	"user_id" uuid NOT NULL,
	"choice" "privacy_choice" NOT NULL,
	"granted" boolean NOT NULL,
	"last_event_id" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "privacy_choices_user_id_choice_pk" PRIMARY KEY("user_id","choice")
);
--> statement-breakpoint
CREATE TABLE "usage_campaigns" (
	"day" date NOT NULL,
	"source" text NOT NULL,
	"medium" text DEFAULT '' NOT NULL,
	"campaign" text DEFAULT '' NOT NULL,
	"visits" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "usage_campaigns_day_source_medium_campaign_pk" PRIMARY KEY("day","source","medium","campaign")
);
--> statement-breakpoint
CREATE TABLE "usage_page_views" (
	"day" date NOT NULL,
	"path" text NOT NULL,
	"views" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "usage_page_views_day_path_pk" PRIMARY KEY("day","path")
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "policy_notices" ADD CONSTRAINT "policy_notices_policy_version_id_policy_versions_id_fk" FOREIGN KEY ("policy_version_id") REFERENCES "public"."policy_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_notices" ADD CONSTRAINT "policy_notices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privacy_choice_events" ADD CONSTRAINT "privacy_choice_events_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privacy_choices" ADD CONSTRAINT "privacy_choices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "area_offers_zip_idx" ON "area_offers" USING btree ("zip_prefix","sort_order");--> statement-breakpoint
CREATE INDEX "policy_versions_effective_idx" ON "policy_versions" USING btree ("status","effective_at");--> statement-breakpoint
CREATE INDEX "privacy_choice_events_user_idx" ON "privacy_choice_events" USING btree ("user_id","created_at");--> statement-breakpoint
-- The append-only ledgers keep their evidence when a customer closes their account, but lose
-- the personal values in it. This is the one UPDATE the triggers permit: on rows of a closed
-- account, the columns named after the owner column may only become '' (jsonb `detail`: a
-- top-level value may only become ""), and nothing else may change. Cascades (a deleted staff
-- member's actor_id set to null) pass as before.
CREATE OR REPLACE FUNCTION refuse_unless_anonymising() RETURNS trigger AS $$
DECLARE
  owner_col text := TG_ARGV[0];
  col text;
  old_j jsonb := to_jsonb(OLD);
  new_j jsonb := to_jsonb(NEW);
  i int;
BEGIN
  IF pg_trigger_depth() > 1 THEN
    RETURN NEW;
  END IF;
  IF old_j->>owner_col IS NULL OR NOT EXISTS (
    SELECT 1 FROM users WHERE id = (old_j->>owner_col)::uuid AND closed_at IS NOT NULL
  ) THEN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
  END IF;
  FOR i IN 1 .. TG_NARGS - 1 LOOP
    col := TG_ARGV[i];
    IF jsonb_typeof(old_j->col) = 'object' THEN
      IF EXISTS (
        SELECT 1 FROM jsonb_each(old_j->col) o
        LEFT JOIN jsonb_each(new_j->col) n ON n.key = o.key
        WHERE n.key IS NULL OR (n.value IS DISTINCT FROM o.value AND n.value <> '""'::jsonb)
      ) OR EXISTS (
        SELECT 1 FROM jsonb_object_keys(new_j->col) k(key) WHERE NOT (old_j->col) ? k.key
      ) THEN
        RAISE EXCEPTION '% is append-only: % may only be blanked', TG_TABLE_NAME, col;
      END IF;
    ELSIF (new_j->>col) IS DISTINCT FROM (old_j->>col) AND (new_j->>col) <> '' THEN
      RAISE EXCEPTION '% is append-only: % may only be blanked', TG_TABLE_NAME, col;
    END IF;
    old_j := old_j - col;
    new_j := new_j - col;
  END LOOP;
  IF old_j IS DISTINCT FROM new_j THEN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
DROP TRIGGER consent_events_no_update ON consent_events;
--> statement-breakpoint
CREATE TRIGGER consent_events_no_update BEFORE UPDATE ON consent_events
  FOR EACH ROW EXECUTE FUNCTION refuse_unless_anonymising('user_id', 'ip', 'user_agent');
--> statement-breakpoint
DROP TRIGGER audit_events_no_change ON audit_events;
--> statement-breakpoint
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION refuse_unless_cascade();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION refuse_unless_anonymising('subject_user_id', 'ip', 'detail');
--> statement-breakpoint
CREATE TRIGGER privacy_choice_events_no_update BEFORE UPDATE ON privacy_choice_events
  FOR EACH ROW EXECUTE FUNCTION refuse_unless_anonymising('user_id', 'ip', 'user_agent');
--> statement-breakpoint
CREATE TRIGGER privacy_choice_events_no_delete BEFORE DELETE ON privacy_choice_events
  FOR EACH ROW EXECUTE FUNCTION refuse_unless_cascade();
--> statement-breakpoint
CREATE TRIGGER privacy_choice_events_no_truncate BEFORE TRUNCATE ON privacy_choice_events
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
