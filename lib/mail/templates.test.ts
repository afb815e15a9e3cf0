import { describe, expect, it } from "vitest";
import { contactAcknowledgementMail } from "@/lib/contact/mail";
import { noticeBody, noticeSubject } from "@/lib/policy/notices";
import { accountClosedMail } from "@/lib/privacy/close-account";
import { linksNotAlone, renderMailHtml } from "./render";
import * as templates from "./templates";

const link = "https://localhost:3443/some/path?token=abc_DEF-123";

/** Every transactional mail the app writes, with sample values. */
const known: Record<string, { subject: string; text: string }> = {
  passwordReset: templates.passwordResetMail(link),
  passwordChanged: templates.passwordChangedMail(link),
  welcome: templates.welcomeMail("jane"),
  profileUpdated: templates.profileUpdatedMail([
    { what: "Name changed", when: "Dec 1, 2026, 1:11 AM MST", by: "you" },
    { what: "Phone number changed", when: "Dec 1, 2026, 1:12 AM MST", by: "rep" },
    { what: "Service and billing address changed", when: "Dec 1, 2026, 1:13 AM MST", by: "chat" },
  ]),
  paymentChanged: templates.paymentMethodChangedMail({
    summary: "Visa ending in 1111, expires 03/2030",
    when: "Dec 1, 2026, 1:11 AM MST",
    by: "you",
    notMeLink: link,
  }),
  paymentRemoved: templates.paymentMethodChangedMail({ summary: null, when: "now", by: "rep", notMeLink: link }),
  verifyNewEmail: templates.verifyNewEmailMail(link),
  emailChangeRequested: templates.emailChangeRequestedMail("j•••e@example.com", link),
  emailChanged: templates.emailChangedMail("j•••e@example.com", link),
  staffInvitation: templates.staffInvitationMail({
    firstName: "Sam",
    username: "sam",
    roleName: "Customer service",
    link,
    hours: 72,
  }),
  contactAcknowledgement: contactAcknowledgementMail({ topic: "Billing", requestNumber: "C-1" }),
  accountClosed: accountClosedMail(),
  policyNotice: {
    subject: noticeSubject(new Date("2027-01-01")),
    text: noticeBody({ effectiveAt: new Date("2027-01-01"), summary: "We keep less." }),
  },
};

// A template added later with plain string arguments (a name, a link) is checked too.
const others = Object.entries(templates)
  .filter(([name]) => name.endsWith("Mail") && !Object.hasOwn(known, name.replace(/Mail$/, "")))
  .map(([name, fn]) => [name, (fn as (...a: string[]) => { subject: string; text: string })("jane", link)] as const);

const every = { ...known, ...Object.fromEntries(others) };

describe("mail templates", () => {
  it("mail: every template of templates.ts is checked", () => {
    for (const name of Object.keys(templates).filter((k) => k.endsWith("Mail"))) {
      expect(Object.keys(every)).toContain(
        Object.hasOwn(known, name.replace(/Mail$/, "")) ? name.replace(/Mail$/, "") : name,
      );
    }
  });

  it.each(Object.entries(every))(
    "mail: %s — every link stands on its own line, in the text and the HTML",
    (_, mail) => {
      expect(linksNotAlone(mail.text)).toEqual([]);
      const html = renderMailHtml(mail.subject, mail.text);
      const hrefs = [...html.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)];
      const urls = mail.text.match(/https:\/\/\S+/g) ?? [];
      expect(hrefs.map((h) => h[1])).toEqual(urls);
      for (const [, href, label] of hrefs) {
        expect(href).not.toMatch(/[.,;:!?)\]]$/);
        expect(label).toBe(href);
      }
      // Every link is alone on its line in the HTML too: nothing but a line break joins it.
      expect(html).not.toMatch(/<\/a>[^<\n]/);
      expect(html).not.toMatch(/[^>\n]<a href/);
      expect(html).not.toMatch(/<script|<img|<link|https?:\/\/[^"]*\.(png|gif|jpe?g|css|js)"/i);
    },
  );

  it("mail: the HTML part escapes what the text holds and keeps no markup of its own", () => {
    const html = renderMailHtml(
      "<b>hi</b>",
      'Dear <script>alert("x")</script> & co\n\nSee here:\nhttps://x.example/a?b=1&c=2',
    );
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co");
    expect(html).toContain('<a href="https://x.example/a?b=1&amp;c=2"');
    expect(html).toContain("<title>&lt;b&gt;hi&lt;/b&gt;</title>");
    expect(html).not.toContain("<script>");
  });

  it("mail: a link followed by punctuation is reported", () => {
    expect(linksNotAlone(`See ${link}.`)).toEqual([`See ${link}.`]);
    expect(linksNotAlone(`(${link})`)).toHaveLength(1);
    expect(linksNotAlone(`Here:\n${link}\n`)).toEqual([]);
  });
});
