CREATE TABLE "lawful_request_customers" (
	"request_id" integer NOT NULL,
	"customer_id" uuid NOT NULL,
	CONSTRAINT "lawful_request_customers_request_id_customer_id_pk" PRIMARY KEY("request_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "lawful_requests" (
	"id" serial PRIMARY KEY NOT NULL,
	"authority" text NOT NULL,
	"legal_basis" text NOT NULL,
	"reference" text NOT NULL,
	"disclosed" text NOT NULL,
	"received_on" date NOT NULL,
	"restricted" boolean DEFAULT false NOT NULL,
	"restriction_basis" text DEFAULT '' NOT NULL,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "disabled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "lawful_request_customers" ADD CONSTRAINT "lawful_request_customers_request_id_lawful_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."lawful_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lawful_request_customers" ADD CONSTRAINT "lawful_request_customers_customer_id_users_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lawful_requests" ADD CONSTRAINT "lawful_requests_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lawful_request_customers_customer_idx" ON "lawful_request_customers" USING btree ("customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "lawful_requests_reference_key" ON "lawful_requests" USING btree ("reference");--> statement-breakpoint
CREATE INDEX "lawful_requests_time_idx" ON "lawful_requests" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "audit_events_time_idx" ON "audit_events" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "audit_events_actor_idx" ON "audit_events" USING btree ("actor_id","created_at","id");--> statement-breakpoint
CREATE INDEX "audit_events_action_idx" ON "audit_events" USING btree ("action","created_at","id");--> statement-breakpoint
CREATE INDEX "users_phone_idx" ON "users" USING btree ("phone");--> statement-breakpoint
-- The console's name search: case- and accent-insensitive prefix match ("jose" finds "José").
-- unaccent() is an extension and not IMMUTABLE, so it cannot back an index; this function folds the
-- Latin letters customers' names use (Latin-1 and Latin Extended-A/B) with translate(), which is
-- immutable, and lib/console/fold.ts mirrors it in JS (a test holds the two to the same output).
-- Upper-case accented letters are in the list too: under the C locale lower() leaves them alone.
CREATE OR REPLACE FUNCTION myaccount_fold(t text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN translate(lower(t), 'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳøØđĐłŁı', 'aaaaaaceeeeiiiinooooouuuuyaaaaaaceeeeiiiinooooouuuuyyaaaaaaccccccccddeeeeeeeeeegggggggghhiiiiiiiiijjkkllllllnnnnnnoooooorrrrrrssssssssttttuuuuuuuuuuuuwwyyyzzzzzzoouuaaiioouuuuuuuuuuaaaaggkkoooojggnnaaaaaaeeeeiiiioooorrrruuuusstthhaaeeooooooooyyooddlli');
--> statement-breakpoint
-- COLLATE "C": byte order, so a prefix is a plain range scan whatever the database's locale, and
-- ORDER BY on the same expression reads the index in order. Partial: staff are never search results.
CREATE INDEX "users_first_name_fold_idx" ON "users" ((myaccount_fold("first_name")) COLLATE "C", (myaccount_fold("last_name")) COLLATE "C", "id") WHERE "role" = 'customer';
--> statement-breakpoint
CREATE INDEX "users_last_name_fold_idx" ON "users" ((myaccount_fold("last_name")) COLLATE "C", (myaccount_fold("first_name")) COLLATE "C", "id") WHERE "role" = 'customer';
--> statement-breakpoint
-- The register is evidence like the audit log: entries are added, never changed or removed
-- (a correction is a new entry); only a deleted person's cascade may touch it.
CREATE TRIGGER lawful_requests_no_change BEFORE UPDATE OR DELETE ON lawful_requests
  FOR EACH ROW EXECUTE FUNCTION refuse_unless_cascade();
