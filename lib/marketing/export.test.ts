import { randomInt } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditEvents, emailTopics, users } from "@/db/schema";
import { recordConsent } from "@/lib/preferences/consent";
import { signUnsubscribeToken, sqlHmacKeys, verifyUnsubscribeToken } from "@/lib/preferences/tokens";
import { formulaSafe } from "@/lib/csv/cell";
import { parseCsv } from "@/lib/test/csv";
import { createUser } from "@/lib/test/factories";
import { EXPORT_APPLICATION_NAME, EXPORT_COLUMNS, exportOptIns, exportSelect, openOptInExport } from "./export";

// A topic of this test's own, so other test files opting people in cannot change the expected set.
const topicId = `export-test-${randomInt(1e9)}`;
// Topic codes travel as a 16-bit number in the token (and as int2 in SQL): keep them under 32768.
const topicCode = randomInt(1000, 32000);

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let out = "";
  for await (const chunk of stream) out += chunk.toString();
  return out;
}

const consent = (userId: string, action: "granted" | "withdrawn") =>
  db.transaction((tx) =>
    recordConsent(tx, { userId, topicId, action, source: "account", actorId: userId, ip: "", userAgent: "" }),
  );

const tricky = [
  '=HYPERLINK("http://evil")',
  "+1 555",
  "-2+3",
  "@SUM(A1)",
  "\tTab",
  "\rCR",
  'Quote "me", please',
  // Formulas to a spreadsheet once it folds full-width forms and skips leading white space.
  "\uff1d1+1",
  " =1+1",
  "\n=1+1",
  "\u3000\uff0bSUM(A1)",
  // Not formulas: left as they are.
  "\uff2a\uff4f",
  "Jo = 1",
];

beforeAll(async () => {
  await db.insert(emailTopics).values({
    id: topicId,
    code: topicCode,
    mailClass: "marketing",
    name: "Export test",
    description: "test",
    wording: "Send me export tests",
    listId: "export-test.example",
  });
});

afterAll(async () => {
  await db.execute(sql`delete from subscriptions where topic_id = ${topicId}`);
});

describe("opt-in export", () => {
  it("export: exactly the people whose current state is opted in, one row each, with working unsubscribe URLs and no formulas", async () => {
    const optedIn: string[] = [];
    for (let i = 0; i < tricky.length; i++) {
      const u = await createUser();
      await db.update(users).set({ firstName: tricky[i] }).where(eq(users.id, u.id));
      await consent(u.id, "granted");
      optedIn.push(u.id);
    }
    const changedMind = await createUser();
    await consent(changedMind.id, "granted");
    await consent(changedMind.id, "withdrawn");
    const backAgain = await createUser();
    await consent(backAgain.id, "granted");
    await consent(backAgain.id, "withdrawn");
    await consent(backAgain.id, "granted");
    optedIn.push(backAgain.id);
    await createUser(); // never asked

    const { stream, rows } = exportOptIns(topicId);
    const csv = parseCsv(await readAll(stream));
    expect(csv[0]).toEqual([...EXPORT_COLUMNS]);
    const body = csv.slice(1);
    expect(rows()).toBe(body.length);

    const { rows: expected } = await db.execute<{ email: string }>(sql`
      select u.email from subscriptions s join users u on u.id = s.user_id
      where s.topic_id = ${topicId} and s.status = 'granted' order by u.email`);
    expect(body.map((r) => r[0]).sort()).toEqual(expected.map((r) => r.email).sort());
    expect(body).toHaveLength(optedIn.length);

    for (const r of body) {
      const [, firstName, topic, optedInAt, source, wordingVersion, url] = r;
      expect(topic).toBe(topicId);
      expect(source).toBe("account");
      expect(wordingVersion).toBe("1");
      expect(optedInAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(firstName).not.toMatch(/^[=+\-@\t\r]/);
      const token = url.split("/u/")[1];
      const claims = verifyUnsubscribeToken(token);
      expect(claims?.topicCode).toBe(topicCode);
      expect(optedIn).toContain(claims?.userId);
      // Made by the database, the token is the very one the app would sign for that person.
      expect(token).toBe(signUnsubscribeToken(claims!.userId, topicCode, claims!.issuedDay));
    }
    const names = body.map((r) => r[1]);
    expect(names).toContain(`'=HYPERLINK("http://evil")`);
    expect(names).toContain("'@SUM(A1)");
    expect(names).toContain('Quote "me", please');
    // The SQL rule (COPY on Postgres, a query on PGlite) is the very rule of lib/csv/cell.ts.
    for (const t of tricky) expect(names).toContain(formulaSafe(t));
    expect(names).toEqual(expect.arrayContaining(["'\uff1d1+1", "' =1+1", "'\n=1+1", "\uff2a\uff4f", "Jo = 1"]));
  });

  it.runIf(process.env.TEST_DB === "postgres")(
    "export: a cancelled download closes its own database connection",
    async () => {
      const u = await createUser();
      await consent(u.id, "granted");
      const exportConnections = async () => {
        const { rows } = await db.execute<{ n: number }>(
          sql`select count(*)::int as n from pg_stat_activity where application_name = ${EXPORT_APPLICATION_NAME} and datname = current_database()`,
        );
        return Number(rows[0].n);
      };
      const { stream } = exportOptIns(topicId);
      const iterator = stream[Symbol.asyncIterator]();
      await iterator.next(); // the header: connected, COPY started, the download now stalls
      expect(await exportConnections()).toBe(1);
      stream.destroy();
      await expect.poll(exportConnections, { timeout: 5000 }).toBe(0);
    },
  );

  it("export: no key material appears in the statement text (it would show in pg_stat_activity and logs)", () => {
    const text = exportSelect(topicId);
    const { ipadHex, opadHex } = sqlHmacKeys();
    expect(text).not.toContain(ipadHex);
    expect(text).not.toContain(opadHex);
  });
});

describe("opening an export for a person", () => {
  const auditOf = (actorId: string) =>
    db
      .select({ action: auditEvents.action, detail: auditEvents.detail, ip: auditEvents.ip })
      .from(auditEvents)
      .where(eq(auditEvents.actorId, actorId))
      .orderBy(auditEvents.id);

  it("export: refused when signed out, for a customer (audited) and for a topic that is not marketing", async () => {
    expect(await openOptInExport(null, topicId, "203.0.113.9")).toEqual({ ok: false, code: "exportSignedOut" });
    const customer = await createUser();
    expect(await openOptInExport({ userId: customer.id, role: "customer" }, topicId, "203.0.113.9")).toEqual({
      ok: false,
      code: "exportForbidden",
    });
    expect(await auditOf(customer.id)).toEqual([
      {
        action: "marketing.export_denied",
        detail: { topic: topicId, role: "customer" },
        ip: "203.0.113.9",
      },
    ]);
    const staff = await createUser({ role: "marketing" });
    const viewer = { userId: staff.id, role: "marketing" as const };
    expect(await openOptInExport(viewer, "account-activity", "")).toEqual({ ok: false, code: "exportUnknownTopic" });
    expect(await auditOf(staff.id)).toEqual([]);
  });

  it("export: the start is audited before any data leaves, the end with the rows sent", async () => {
    const staff = await createUser({ role: "marketing" });
    const opened = await openOptInExport({ userId: staff.id, role: "marketing" }, topicId, "203.0.113.9");
    if (!opened.ok) throw new Error(opened.code);
    expect(opened.topicId).toBe(topicId);
    const started = {
      action: "marketing.export_started",
      detail: { topic: topicId, ms: undefined },
      ip: "203.0.113.9",
    };
    expect(await auditOf(staff.id)).toEqual([started]);
    const rows = parseCsv(await readAll(opened.stream)).length - 1;
    await expect
      .poll(() => auditOf(staff.id))
      .toEqual([
        started,
        {
          action: "marketing.export",
          detail: { topic: topicId, rows, complete: true, ms: expect.any(Number) },
          ip: "203.0.113.9",
        },
      ]);
  });
});
