import { randomInt } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { db, dbHandle } from "@/db/client";
import { addresses, users, type Role } from "@/db/schema";
import { randomAccountNumber } from "@/lib/test/factories";
import { z } from "zod/mini";
import { fold } from "./fold";
import { parseCustomerSearch, searchCustomers, type CustomerHit } from "./search";
import { customerSearchSchema } from "./search-schema";

// On Postgres every test file shares one database, so the people made here carry a random tag in
// their names and identifiers, and a search is checked for whether it lists them (over every
// page), not for the exact size of the result.
const tag = Array.from({ length: 8 }, () => String.fromCharCode(97 + randomInt(26))).join("");
const Tag = tag[0].toUpperCase() + tag.slice(1);

function randomPhone(): string {
  // 555-01xx is reserved for fiction; the area code is random so runs do not share numbers.
  return `+1${randomInt(201, 990)}5550${randomInt(100, 200)}`;
}

async function person(p: {
  firstName: string;
  lastName: string;
  role?: Role;
  phone?: string | null;
  username?: string | null;
  email?: string | null;
  city?: string;
}) {
  const role = p.role ?? "customer";
  const accountNumber = role === "customer" ? randomAccountNumber() : null;
  const [u] = await db
    .insert(users)
    .values({
      role,
      accountNumber,
      firstName: p.firstName,
      lastName: p.lastName,
      phone: p.phone ?? null,
      username: p.username ?? null,
      email: p.email ?? null,
    })
    .returning({ id: users.id });
  await db
    .insert(addresses)
    .values({ userId: u.id, kind: "service", line1: "1 Test St", city: p.city ?? "Denver", state: "CO", zip: "80202" });
  return { id: u.id, accountNumber };
}

async function search(q: string, page?: number | string) {
  const r = await searchCustomers({ q, page });
  if (!r.ok) throw new Error(`search ${JSON.stringify(q)} refused: ${JSON.stringify(r)}`);
  return r.data;
}

/** Every customer a search lists, over all its pages. */
async function allIds(q: string): Promise<string[]> {
  const first = await search(q);
  const ids = first.hits.map((h) => h.id);
  for (let page = 2; page <= first.pages; page++) ids.push(...(await search(q, page)).hits.map((h) => h.id));
  return ids;
}

let jose: { id: string; accountNumber: string | null };
let josePhone: string;
let joseUser: string;
let obrien: { id: string };
let staff: { id: string };
let staffPhone: string;

beforeAll(async () => {
  josePhone = randomPhone();
  joseUser = `jose.g.${tag}`;
  jose = await person({
    firstName: "José",
    lastName: "García",
    phone: josePhone,
    username: joseUser,
    email: `Jose.Garcia.${tag}@Example.com`,
    city: "Lakewood",
  });
  obrien = await person({ firstName: `Seán${Tag}`, lastName: "O'Brien" });
  staffPhone = randomPhone();
  staff = await person({
    role: "rep",
    firstName: "José",
    lastName: `García${Tag}`,
    phone: staffPhone,
    username: `rep.${tag}`,
    email: `rep.${tag}@example.com`,
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("parseCustomerSearch", () => {
  it("reads each format as the kinds it could be", () => {
    expect(parseCustomerSearch("1000000001")).toMatchObject({ accountNumber: "1000000001", names: [] });
    expect(parseCustomerSearch("3035550123")).toMatchObject({ accountNumber: "3035550123", phone: "+13035550123" });
    expect(parseCustomerSearch("(303) 555-0123")).toMatchObject({ phone: "+13035550123", names: [] });
    expect(parseCustomerSearch("Dana@Example.com")).toEqual({ email: "dana@example.com", names: [] });
    expect(parseCustomerSearch("dana.d")).toMatchObject({
      username: "dana.d",
      names: [{ last: "dana.d" }, { first: "dana.d" }],
    });
    expect(parseCustomerSearch("José García").names[0]).toEqual({ first: "jose", last: "garcia" });
    expect(parseCustomerSearch("García, Jo").names[0]).toEqual({ last: "garcia", first: "jo" });
    expect(parseCustomerSearch("%%")).toEqual({ names: [] });
  });
});

describe("searchCustomers", () => {
  it("matches a name's start whatever its case and accents", async () => {
    for (const q of ["jose", "JOSE", "José", "josé", "jo", "garcia", "GARCÍA", "gar", "Gar"]) {
      expect(await allIds(q), q).toContain(jose.id);
    }
    // The start of the name, not anywhere in it.
    for (const q of ["ose", "arcia", "osé"]) expect(await allIds(q), q).not.toContain(jose.id);
  });

  it("reads two words as the start of the first name and of the last name", async () => {
    for (const q of ["jo gar", "José García", "JOSE garc", "garcía, jo", "Garcia,Jose"]) {
      expect(await allIds(q), q).toContain(jose.id);
    }
    // Both must match: the last name first, or a wrong last name, finds nobody.
    for (const q of ["gar jo", "jo smi", "jose garcia x"]) expect(await allIds(q), q).not.toContain(jose.id);
  });

  it("finds an account number, a username and an e-mail address exactly", async () => {
    const byAccount = await search(jose.accountNumber!);
    expect(byAccount.kinds).toContain("accountNumber");
    expect(byAccount.hits[0]).toEqual({
      id: jose.id,
      firstName: "José",
      lastName: "García",
      accountNumber: jose.accountNumber,
      city: "Lakewood",
      closed: false,
    } satisfies CustomerHit);
    // Only the name, account number and city (and the id the link needs): no e-mail, phone or username.
    expect(Object.keys(byAccount.hits[0]).sort()).toEqual(
      ["accountNumber", "city", "closed", "firstName", "id", "lastName"].sort(),
    );
    expect(await allIds(jose.accountNumber!.slice(0, 8))).not.toContain(jose.id);

    expect((await search(joseUser.toUpperCase())).hits.map((h) => h.id)).toEqual([jose.id]);
    expect((await search(`jose.garcia.${tag}@example.com`)).hits.map((h) => h.id)).toEqual([jose.id]);
    expect((await search(`JOSE.GARCIA.${tag}@EXAMPLE.COM`)).hits.map((h) => h.id)).toEqual([jose.id]);
    // Part of an e-mail address is not a match.
    expect(await allIds(`jose.garcia.${tag}@example`)).not.toContain(jose.id);
  });

  it("finds a phone number written in any common US format", async () => {
    const d = josePhone.slice(2); // ten digits
    const [a, b, c] = [d.slice(0, 3), d.slice(3, 6), d.slice(6)];
    for (const q of [
      `(${a}) ${b}-${c}`,
      `${a}.${b}.${c}`,
      `+1 ${a} ${b} ${c}`,
      `${a}${b}${c}`,
      `${a}-${b}-${c}`,
      `1-${a}-${b}-${c}`,
      `+1${d}`,
    ]) {
      const r = await search(q);
      expect(r.kinds, q).toContain("phone");
      expect(
        r.hits.map((h) => h.id),
        q,
      ).toContain(jose.id);
    }
  });

  it("never lists staff, whatever is searched", async () => {
    const d = staffPhone.slice(2);
    for (const q of [
      `rep.${tag}`,
      `rep.${tag}@example.com`,
      `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`,
      `jose garcia${tag}`,
      `garcia${tag}`,
    ]) {
      expect(await allIds(q), q).not.toContain(staff.id);
    }
  });

  it("shows a closed account by its account number, marked closed", async () => {
    const closed = await person({ firstName: "Casey", lastName: `Closed${Tag}` });
    await db.update(users).set({ closedAt: new Date(), firstName: "", lastName: "" }).where(eq(users.id, closed.id));
    await db.delete(addresses).where(eq(addresses.userId, closed.id));
    const r = await search(closed.accountNumber!);
    expect(r.hits).toEqual([
      { id: closed.id, firstName: "", lastName: "", accountNumber: closed.accountNumber, city: "", closed: true },
    ]);
  });

  it("pages 20 at a time, in name order, each customer once", async () => {
    const last = `Pag${Tag}`;
    const made: string[] = [];
    for (let i = 0; i < 45; i++) {
      made.push((await person({ firstName: `Name${String(i).padStart(2, "0")}`, lastName: last })).id);
    }
    const p1 = await search(last.toLowerCase());
    expect(p1).toMatchObject({ total: 45, pages: 3, page: 1, capped: false });
    expect(p1.hits).toHaveLength(20);
    const p3 = await search(last, 3);
    expect(p3.hits).toHaveLength(5);
    const all = await allIds(last);
    expect(all).toEqual(made); // Name00 … Name44: first-name order within the last name
    // A page number from a hand-edited link that makes no sense is the first page, not an error.
    for (const page of ["0", "-1", "abc", "2.5", "26", "99999999999999999999"]) {
      expect((await search(last, page)).page, page).toBe(1);
    }
    // Past the last page (but within 25): the last page.
    expect((await search(last, 7)).page).toBe(3);
    // Two words: first name "name1" and last name "pag…": Name10…Name19.
    expect((await search(`name1 ${last}`)).total).toBe(10);
  });

  it("counts at most 500 matches (25 pages) and says there are more", async () => {
    const last = `Cap${Tag}`;
    const made = await db
      .insert(users)
      .values(
        Array.from({ length: 501 }, (_, i) => ({
          role: "customer" as const,
          accountNumber: randomAccountNumber(),
          firstName: `N${String(i).padStart(3, "0")}`,
          lastName: last,
        })),
      )
      .returning({ id: users.id });
    expect(made).toHaveLength(501);
    const r = await search(last);
    expect(r).toMatchObject({ total: 500, pages: 25, capped: true });
    const lastPage = await search(last, 25);
    expect(lastPage.hits.map((h) => h.firstName)).toEqual(
      Array.from({ length: 20 }, (_, i) => `N${String(480 + i).padStart(3, "0")}`),
    );
    // No address: the city is empty, not an error.
    expect(lastPage.hits[0].city).toBe("");
  });

  it("says a search over 100 characters is too long, without asking the database", async () => {
    const spy = vi.spyOn(dbHandle().db, "execute");
    for (const q of ["a".repeat(101), "x".repeat(10_000), "é".repeat(5000), "%".repeat(10_000)]) {
      expect(await searchCustomers({ q })).toEqual({ ok: false, error: "invalidInput" });
      // The words the page shows come from the schema it checks first.
      const checked = z.safeParse(customerSearchSchema, { q });
      expect(checked.success ? [] : checked.error.issues.map((i) => i.message)).toEqual(["Use at most 100 characters"]);
    }
    // 100 is allowed (spaces around it do not count).
    expect((await searchCustomers({ q: `  ${"a".repeat(100)}  ` })).ok).toBe(true);
    expect(spy).toHaveBeenCalledTimes(1); // the 100-character search only: its count of name matches
  });

  it("takes SQL wildcards, quotes and backslashes literally", async () => {
    const spy = vi.spyOn(dbHandle().db, "execute");
    // Nothing searchable: no letter and no number. Said in words, nothing run.
    for (const q of ["%", "%%", "_", "'", '"', "\\", "%_\\'\"", "--", ";"]) {
      expect(await searchCustomers({ q }), q).toEqual({ ok: false, error: "customerSearchNothing" });
    }
    expect(spy).not.toHaveBeenCalled();
    // A wildcard is a character like any other: "j%" is not "j then anything".
    for (const q of ["j%", "jo%", "%ose", "j_se", "j__e", "jo\\", "jo'", "jo\\%", "García%"]) {
      const r = await search(q);
      expect(
        r.hits.map((h) => h.id),
        q,
      ).not.toContain(jose.id);
    }
    // Quotes inside a name are found as typed.
    expect(await allIds("o'brien")).toContain(obrien.id);
    expect(await allIds(`sean${tag} o'b`)).toContain(obrien.id);
    // What would be an injection is only text; the table is still there.
    expect((await search("'; drop table users; --")).hits).toEqual([]);
    expect((await search("x' or '1'='1")).hits).toEqual([]);
    expect((await search("\\'; select 1; --")).hits).toEqual([]);
    const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
    expect(n).toBeGreaterThan(0);
  });

  it("takes mixed scripts, control characters and odd Unicode without an error", async () => {
    for (const q of [
      "José Ωμέγα 山田",
      "Jоsé", // Cyrillic о
      "🙂 garcía",
      "jo\u0000se",
      "\ud800garcia", // a lone surrogate
      "j\u0301ose",
      "\u200bjose",
      "\u202egarcia",
    ]) {
      const r = await searchCustomers({ q });
      expect(r.ok || (r.error === "customerSearchNothing" && r), q).toBeTruthy();
    }
    // A control character is a space: "jo<NUL>gar" is "jo gar".
    expect(await allIds("jo\u0000gar")).toContain(jose.id);
  });

  it("before any search: nothing run, nothing listed", async () => {
    const spy = vi.spyOn(dbHandle().db, "execute");
    for (const q of ["", "   ", undefined]) {
      expect(await searchCustomers({ q })).toEqual({
        ok: true,
        data: { q: "", kinds: [], hits: [], page: 1, pages: 0, total: 0, capped: false },
        message: undefined,
      });
    }
    expect(spy).not.toHaveBeenCalled();
  });
});

describe("fold()", () => {
  it("folds names exactly as the SQL function myaccount_fold() does", async () => {
    const names = [
      "José",
      "JOSÉ",
      "García",
      "Núñez",
      "Zoë",
      "Émile",
      "Chloé",
      "Björn",
      "Łukasz",
      "Søren",
      "Öztürk",
      "Müller",
      "Ångström",
      "Dvořák",
      "Đorđević",
      "Šťastný",
      "ŻÓŁĆ",
      "Ærø",
      "Çelik",
      "Ğüneş",
      "Œuvre",
      "O'Brien-Smith",
      "Anne Marie",
      "DANA",
    ];
    const { rows } = await db.execute<{ name: string; folded: string }>(
      sql`select n as name, myaccount_fold(n) as folded from unnest(${sql.raw(`array[${names.map((n) => `'${n.replace(/'/g, "''")}'`).join(",")}]`)}::text[]) as n`,
    );
    expect(rows).toHaveLength(names.length);
    for (const r of rows) expect(fold(r.name), r.name).toBe(r.folded);
  });
});
