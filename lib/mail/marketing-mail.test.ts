import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { smtpServerForThisFile } from "@/lib/test/smtp";
import { db } from "@/db/client";
import { mailOutbox, newsletters, subscriptions, users } from "@/db/schema";
import { queueNewsletter } from "@/lib/marketing/queue";
import { recordConsent } from "@/lib/preferences/consent";
import { resolveUnsubscribeToken, unsubscribe } from "@/lib/preferences/unsubscribe";
import { updateName } from "@/lib/profile/update";
import { createUser } from "@/lib/test/factories";
import { closeProfileMailWindow } from "@/lib/test/mail";
import { queueMail } from "./outbox";
import { linksNotAlone } from "./render";
import { createTransport } from "./transport";
import { deliverDueMail } from "./worker";

// A real SMTP server on loopback receives what the worker sends.
const smtp = smtpServerForThisFile();

const mailTo = (to: string) => smtp.received.filter((r) => r.to === to);
/** A header's value from the raw message, with folded lines joined (RFC 5322 §2.2.3). */
const header = (raw: string, name: string) => {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, " ");
  return head.match(new RegExp(`^${name}: (.*)$`, "mi"))?.[1]?.trim();
};

/** A Subject as read: RFC 2047 encoded words (a name with an accent) decoded. */
const subjectOf = (raw: string) =>
  header(raw, "Subject")?.replace(/=\?UTF-8\?([QB])\?([^?]*)\?=\s*/gi, (_, kind: string, text: string) =>
    kind.toUpperCase() === "B"
      ? Buffer.from(text, "base64").toString("utf8")
      : decode(text.replace(/_/g, " "), "quoted-printable"),
  );

/** A MIME part's headers and decoded body (quoted-printable or base64 as nodemailer wrote it). */
type Part = { type: string; body: string };
function decode(body: string, encoding: string): string {
  if (/base64/i.test(encoding)) return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (/quoted-printable/i.test(encoding)) {
    const soft = body.replace(/=\r?\n/g, "");
    const bytes: number[] = [];
    for (let i = 0; i < soft.length; i++) {
      const hex = soft[i] === "=" ? /^[0-9A-F]{2}$/i.exec(soft.slice(i + 1, i + 3)) : null;
      if (hex) {
        bytes.push(parseInt(hex[0], 16));
        i += 2;
      } else bytes.push(...Buffer.from(soft[i], "utf8"));
    }
    return Buffer.from(bytes).toString("utf8");
  }
  return body;
}
/** The leaf parts of a multipart message, each with its Content-Type and decoded body. */
function mimeParts(raw: string): Part[] {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)?.[1];
  if (!boundary) return [];
  return raw
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((chunk) => {
      const [head, ...rest] = chunk.replace(/^\r?\n/, "").split(/\r?\n\r?\n/);
      const body = rest.join("\r\n\r\n").replace(/\r?\n$/, "");
      return {
        type: header(head + "\r\n\r\n", "Content-Type") ?? "",
        body: decode(body, header(head + "\r\n\r\n", "Content-Transfer-Encoding") ?? "").replace(/\r\n/g, "\n"),
      };
    });
}

async function drain() {
  const transport = createTransport(smtp.url);
  while ((await deliverDueMail(transport)) > 0) {
    /* until nothing is due */
  }
}

async function optedIn(topicId = "newsletter") {
  const user = await createUser();
  await db.transaction((tx) =>
    recordConsent(tx, {
      userId: user.id,
      topicId,
      action: "granted",
      source: "account",
      actorId: user.id,
      ip: "",
      userAgent: "",
    }),
  );
  return user;
}

async function sendNewsletter(subject: string, bodyMarkdown = "Hello **there**") {
  const [n] = await db
    .insert(newsletters)
    .values({ topicId: "newsletter", subject, bodyMarkdown })
    .returning({ id: newsletters.id });
  await queueNewsletter(n.id);
  return n.id;
}

describe("marketing mail", () => {
  it("mail: marketing mail carries RFC 8058 headers, List-Id, a visible link and its own sender; transactional mail none of them", async () => {
    const user = await optedIn();
    await sendNewsletter("News 1");
    await updateName(
      { userId: user.id, actorId: user.id, ip: "" },
      { version: 1, firstName: "Newsy", lastName: "Reader" },
    );
    await closeProfileMailWindow(user.id);
    await drain();
    const news = mailTo(user.email).find((m) => header(m.raw, "Subject") === "News 1")!;
    const url = header(news.raw, "List-Unsubscribe")!.replace(/^<|>$/g, "");
    expect(url).toMatch(/^https:\/\/localhost:\d+\/u\/[A-Za-z0-9_-]+$/);
    expect(header(news.raw, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    expect(header(news.raw, "List-Id")).toBe("Monthly newsletter <newsletter.lumen-telecom.example>");
    expect(header(news.raw, "From")).toContain("news@");
    expect(news.raw.replace(/=\r?\n/g, "")).toContain(url);
    expect(await resolveUnsubscribeToken(url.split("/u/")[1])).toMatchObject({
      userId: user.id,
      topicId: "newsletter",
    });

    const notice = mailTo(user.email).find((m) => header(m.raw, "Subject") === "Your MyAccount profile was updated")!;
    expect(header(notice.raw, "List-Unsubscribe")).toBeUndefined();
    expect(header(notice.raw, "List-Unsubscribe-Post")).toBeUndefined();
    expect(header(notice.raw, "List-Id")).toBeUndefined();
    expect(header(notice.raw, "From")).toContain("no-reply@");
  });

  it("mail: after unsubscribing, a newsletter does not reach the person but a profile-updated mail does", async () => {
    const user = await optedIn();
    const target = (await resolveUnsubscribeToken(
      (await import("@/lib/preferences/tokens")).signUnsubscribeToken(user.id, 2),
    ))!;
    await unsubscribe(target, { scope: "topic", source: "one-click", ip: "", userAgent: "" });
    const id = await sendNewsletter("News 2");
    await updateName(
      { userId: user.id, actorId: user.id, ip: "" },
      { version: 1, firstName: "Still", lastName: "Here" },
    );
    await closeProfileMailWindow(user.id);
    await drain();
    const subjects = mailTo(user.email).map((m) => header(m.raw, "Subject"));
    expect(subjects).toContain("Your MyAccount profile was updated");
    expect(subjects).not.toContain("News 2");
    // Not even queued: the newsletter only goes to the current opt-ins.
    expect(await db.select().from(mailOutbox).where(eq(mailOutbox.newsletterId, id))).not.toContainEqual(
      expect.objectContaining({ userId: user.id }),
    );
  });

  it("mail: an opt-out made after queueing still stops the send (consent is checked at send time)", async () => {
    const user = await optedIn();
    const id = await sendNewsletter("News 3");
    const queued = await db.select().from(mailOutbox).where(eq(mailOutbox.newsletterId, id));
    expect(queued.some((m) => m.userId === user.id)).toBe(true);
    await db.transaction((tx) =>
      recordConsent(tx, {
        userId: user.id,
        topicId: "newsletter",
        action: "withdrawn",
        source: "account",
        actorId: user.id,
        ip: "",
        userAgent: "",
      }),
    );
    await drain();
    expect(mailTo(user.email).map((m) => header(m.raw, "Subject"))).not.toContain("News 3");
    const [row] = await db
      .select()
      .from(mailOutbox)
      .where(eq(mailOutbox.newsletterId, id))
      .then((rows) => rows.filter((r) => r.userId === user.id));
    expect(row.status).toBe("suppressed");
  });

  it("mail: a marketing row without a recipient or topic is never sent", async () => {
    const to = `nobody-${Date.now()}@example.test`;
    await db.transaction((tx) => queueMail(tx, { to, subject: "Orphan", text: "x", mailClass: "marketing" }));
    await drain();
    expect(mailTo(to)).toEqual([]);
    const [row] = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, to));
    expect(row.status).toBe("suppressed");
  });

  it("mail: a newsletter goes to the address the person has when it is sent", async () => {
    const user = await optedIn();
    await sendNewsletter("News 4");
    const moved = `moved-${Date.now()}@example.test`;
    await db.update(users).set({ email: moved }).where(eq(users.id, user.id));
    await drain();
    expect(mailTo(moved).map((m) => header(m.raw, "Subject"))).toContain("News 4");
    expect(mailTo(user.email).map((m) => header(m.raw, "Subject"))).not.toContain("News 4");
  });

  it("mail: a newsletter arrives as text and inline-styled HTML, personalised, each ending with the person's own 'Why did I get this?'", async () => {
    const user = await optedIn();
    // The opt-in is dated late on Nov 30 in Los Angeles, which is Dec 1 in UTC: the person's day counts.
    await db
      .update(subscriptions)
      .set({ optedInAt: new Date("2026-12-01T03:30:00Z") })
      .where(and(eq(subscriptions.userId, user.id), eq(subscriptions.topicId, "newsletter")));
    await db
      .update(users)
      .set({ firstName: "<b>Zoë</b>", timeZone: "America/Los_Angeles" })
      .where(eq(users.id, user.id));
    await sendNewsletter(
      "{first_name|Friend}, the December news",
      "# Hi {first_name|there}\n\n- Faster *fibre*\n- A [new plan](https://example.com/plans?for={first_name}) today\n\n![Phone](https://cdn.example/p.png)\n\n<script>alert(1)</script>",
    );
    await drain();
    const mail = mailTo(user.email).find((m) => subjectOf(m.raw)?.includes("December news"))!;
    expect(mail).toBeDefined();
    expect(header(mail.raw, "Content-Type")).toMatch(/^multipart\/alternative/);
    const url = header(mail.raw, "List-Unsubscribe")!.replace(/^<|>$/g, "");
    expect(header(mail.raw, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    expect(header(mail.raw, "List-Id")).toBe("Monthly newsletter <newsletter.lumen-telecom.example>");
    const [text, html] = mimeParts(mail.raw);
    expect(text.type).toMatch(/^text\/plain/);
    expect(html.type).toMatch(/^text\/html/);
    const why =
      "You said yes to Monthly newsletter on Nov 30, 2026 in your Lumen Telecom MyAccount e-mail preferences.";

    expect(text.body).toBe(
      [
        "Hi <b>Zoë</b>",
        "=============",
        "",
        "- Faster _fibre_",
        "- A new plan",
        `  https://example.com/plans?for=${encodeURIComponent("<b>Zoë</b>")}`,
        "  today",
        "",
        "Phone",
        "https://cdn.example/p.png",
        "",
        "<script>alert(1)</script>",
        "",
        "Why did I get this?",
        "-------------------",
        why,
        "Unsubscribe with one click:",
        url,
        "",
      ].join("\n"),
    );
    expect(linksNotAlone(text.body)).toEqual([]);

    expect(html.body).toMatch(/<h1 style="[^"]+">Hi &lt;b&gt;Zoë&lt;\/b&gt;<\/h1>/);
    expect(html.body).toMatch(/<li style="[^"]+">Faster <em>fibre<\/em><\/li>/);
    expect(html.body).toContain(`href="https://example.com/plans?for=${encodeURIComponent("<b>Zoë</b>")}"`);
    expect(html.body).not.toMatch(/<img|<script|<b>/i);
    expect(html.body).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html.body).toMatch(/<h2 [^>]+>Why did I get this\?<\/h2>/);
    expect(html.body).toContain(why);
    expect(html.body).toContain(`<a href="${url}"`);
    expect(subjectOf(mail.raw)).toBe("<b>Zoë</b>, the December news");
    expect(header(mail.raw, "From")).toContain("news@");
  });

  it("mail: each person of a batch gets their own name and link; the content comes from the newsletter, not the outbox row", async () => {
    const ann = await optedIn();
    const bo = await optedIn();
    const gone = await optedIn();
    await db.update(users).set({ firstName: "Ann" }).where(eq(users.id, ann.id));
    await db.update(users).set({ firstName: "" }).where(eq(users.id, bo.id));
    const id = await sendNewsletter("Batch {first_name|you}", "Dear {first_name|reader}, news.");
    // What a row carries is not what is sent: the newsletter's own subject and body are.
    await db.update(mailOutbox).set({ subject: "stale", textBody: "stale" }).where(eq(mailOutbox.newsletterId, id));
    // Opted out after queueing: suppressed, while the rest of the batch goes out.
    await db.transaction((tx) =>
      recordConsent(tx, {
        userId: gone.id,
        topicId: "newsletter",
        action: "withdrawn",
        source: "one-click",
        actorId: null,
        ip: "",
        userAgent: "",
      }),
    );
    await drain();
    const got = (email: string) => mailTo(email).filter((m) => header(m.raw, "Subject")?.startsWith("Batch"));
    expect(got(ann.email).map((m) => header(m.raw, "Subject"))).toEqual(["Batch Ann"]);
    expect(got(bo.email).map((m) => header(m.raw, "Subject"))).toEqual(["Batch you"]);
    expect(mimeParts(got(ann.email)[0].raw)[0].body).toMatch(/^Dear Ann, news\.\n/);
    expect(mimeParts(got(bo.email)[0].raw)[0].body).toMatch(/^Dear reader, news\.\n/);
    const links = [ann, bo].map((p) => header(got(p.email)[0].raw, "List-Unsubscribe"));
    expect(new Set(links).size).toBe(2);
    expect(got(gone.email)).toEqual([]);
    const rows = await db.select().from(mailOutbox).where(eq(mailOutbox.newsletterId, id));
    expect(rows.find((r) => r.userId === gone.id)?.status).toBe("suppressed");
    const mine = rows.filter((r) => [ann.id, bo.id].includes(r.userId!));
    expect(mine.map((r) => r.status)).toEqual(["sent", "sent"]);
  });
});
