-- The consent ledger is append-only: history is evidence, so no UPDATE or DELETE, even by mistake.
-- (Deleting a person cascades; that path is the only way rows leave, and it is not an UPDATE.)
CREATE OR REPLACE FUNCTION consent_events_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'consent_events is append-only';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER consent_events_no_update BEFORE UPDATE ON consent_events
  FOR EACH ROW EXECUTE FUNCTION consent_events_append_only();
--> statement-breakpoint
-- The topics are reference data every deployment needs (not demo data).
INSERT INTO email_topics (id, code, mail_class, name, description, wording, wording_version, list_id, sort_order) VALUES
  ('offers', 1, 'marketing', 'Special offers', 'Special offers and information on products and services',
   'I would like to receive special offers and information on products and services', 1, 'offers.lumen-telecom.example', 10),
  ('newsletter', 2, 'marketing', 'Monthly newsletter', 'News, tips and what is new on your service, once a month',
   'Send me the monthly newsletter', 1, 'newsletter.lumen-telecom.example', 20),
  ('account-activity', 101, 'transactional', 'Account activity', 'Sign-ins, profile changes and other activity on your account',
   'Account activity', 1, 'account.lumen-telecom.example', 110),
  ('orders-payments', 102, 'transactional', 'Orders and payments', 'Order and payment confirmations and reminders',
   'Orders and payments', 1, 'orders.lumen-telecom.example', 120),
  ('security-policy', 103, 'transactional', 'Security and policy notices', 'Security alerts and notices of changes to our privacy policy',
   'Security and policy notices', 1, 'notices.lumen-telecom.example', 130);
