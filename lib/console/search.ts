import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { z } from "zod/mini";
import { db } from "@/db/client";
import { fail, ok, type Outcome } from "@/lib/actions/result";
import { normalizeUsPhone } from "@/lib/profile/us";
import { fold } from "./fold";
import {
  CUSTOMER_PAGE_SIZE,
  CUSTOMER_RESULTS_CAP,
  customerSearchSchema,
  type CustomerSearchInput,
} from "./search-schema";

/**
 * Find a customer (the staff console, capability "customers.search"). One search box: the text is
 * read as every kind of thing it could be — an account number, a phone number, an e-mail address,
 * a username, a name — and each kind is looked up through its own index, so a search costs a few
 * index range scans whether there are a thousand customers or a million (bench: --console-only).
 *
 * A result is only a name, an account number and a city: anything more about a customer is on
 * their page, which asks for a reason first and is logged (lib/access/grants.ts).
 */

export type CustomerHit = {
  id: string;
  firstName: string;
  lastName: string;
  accountNumber: string | null;
  /** The service address's city ("" when there is none, as for a closed account). */
  city: string;
  /** A closed account keeps only its account number; it is shown, marked closed, so a rep can say so. */
  closed: boolean;
};

export type MatchKind = "accountNumber" | "phone" | "email" | "username" | "name";

export type CustomerSearch = {
  /** The search as read (trimmed, spaces collapsed); "" before any search. */
  q: string;
  /** What the text was looked up as. */
  kinds: MatchKind[];
  hits: CustomerHit[];
  page: number;
  pages: number;
  /** Matches counted, at most CUSTOMER_RESULTS_CAP. */
  total: number;
  /** More than CUSTOMER_RESULTS_CAP matched: the page asks for more of the name. */
  capped: boolean;
};

/** Folded name prefixes a name search compares with the two name indexes. */
type NamePart = { first?: string; last?: string };

export type ParsedSearch = {
  accountNumber?: string;
  /** E.164. */
  phone?: string;
  /** Lower-cased. */
  email?: string;
  /** Lower-cased. */
  username?: string;
  /** In the order their results are listed. */
  names: NamePart[];
};

/** Names of more words than this are looked up only as a whole first or last name. */
const MAX_NAME_SPLIT_WORDS = 4;

/**
 * What a search text could be. Pure (no database), so the tests can hold each format to its kind.
 *   "1000000001"      → account number (6–12 digits), and a phone number when it is 10 or 11
 *   "(303) 555-0123"  → phone (US, any common format, normalised to E.164 like the stored numbers)
 *   "dana@example.com"→ e-mail (exact, case-insensitive)
 *   "dana.d"          → username (exact) and a name prefix
 *   "jo gar"          → first name starting "jo" and last name starting "gar", then the whole
 *                        text as the start of a first or a last name ("van der", "mary ann")
 *   "garcía, jo"      → last name starting "garcia" and first name starting "jo"
 */
export function parseCustomerSearch(q: string): ParsedSearch {
  const parsed: ParsedSearch = { names: [] };
  if (!q) return parsed;
  const compact = q.replace(/ /g, "");
  if (/^\d{6,12}$/.test(compact)) parsed.accountNumber = compact;
  const phone = normalizeUsPhone(q);
  if (phone) parsed.phone = phone;
  if (/^[^\s@]+@[^\s@]+$/.test(q) && q.length <= 254) parsed.email = q.toLowerCase();
  // The usernames registration allows (lib/auth/schema.ts): never only digits.
  if (/^[A-Za-z0-9._-]{3,32}$/.test(q) && !/^\d+$/.test(q)) parsed.username = q.toLowerCase();
  // A name has a letter in it; "%%" or "'" alone is not worth an index scan. Whatever else the
  // text holds (quotes, % and _, backslashes, other scripts) is compared as the literal characters
  // it is, as a bound parameter: no LIKE pattern is built from it.
  if (/\p{L}/u.test(q) && !parsed.email) {
    const comma = q.split(",").map((s) => s.trim());
    if (comma.length === 2 && comma[0] && comma[1]) parsed.names.push({ last: fold(comma[0]), first: fold(comma[1]) });
    const words = fold(q.replace(/,/g, " ")).split(" ").filter(Boolean);
    if (words.length === 1) {
      parsed.names.push({ last: words[0] }, { first: words[0] });
    } else if (words.length > 1) {
      if (words.length <= MAX_NAME_SPLIT_WORDS) {
        for (let i = 1; i < words.length; i++)
          parsed.names.push({ first: words.slice(0, i).join(" "), last: words.slice(i).join(" ") });
      }
      const whole = words.join(" ");
      parsed.names.push({ last: whole }, { first: whole });
    }
  }
  return parsed;
}

export function matchKinds(p: ParsedSearch): MatchKind[] {
  const kinds: MatchKind[] = [];
  if (p.accountNumber) kinds.push("accountNumber");
  if (p.phone) kinds.push("phone");
  if (p.email) kinds.push("email");
  if (p.username) kinds.push("username");
  if (p.names.length) kinds.push("name");
  return kinds;
}

// The expressions of users_first_name_fold_idx and users_last_name_fold_idx
// (drizzle/0009_staff_console.sql), written the same way so the planner matches them. COLLATE "C"
// compares bytes: a prefix is then a plain range of the index, whatever the database's locale.
const FIRST = sql`(myaccount_fold(u.first_name) collate "C")`;
const LAST = sql`(myaccount_fold(u.last_name) collate "C")`;
/**
 * The highest code point: under byte order every text that starts with `p` sorts from `p` up to
 * (not including) `p` followed by it, so "starts with" is a range the index can seek to.
 */
const TOP = "\u{10FFFF}";

function startsWith(column: SQL, prefix: string): SQL {
  return sql`${column} >= ${prefix} and ${column} < ${prefix + TOP}`;
}

function nameCondition(n: NamePart): SQL {
  const parts: SQL[] = [];
  if (n.first !== undefined) parts.push(startsWith(FIRST, n.first));
  if (n.last !== undefined) parts.push(startsWith(LAST, n.last));
  return sql`(${sql.join(parts, sql` and `)})`;
}

/** Listed in the order of the index the part seeks on, so a page is read off the index in order. */
function nameOrder(n: NamePart): [SQL, SQL] {
  return n.first !== undefined ? [FIRST, LAST] : [LAST, FIRST];
}

function exactCondition(p: ParsedSearch): SQL | null {
  const ors: SQL[] = [];
  if (p.accountNumber) ors.push(sql`u.account_number = ${p.accountNumber}`);
  if (p.phone) ors.push(sql`u.phone = ${p.phone}`);
  if (p.email) ors.push(sql`lower(u.email) = ${p.email}`);
  if (p.username) ors.push(sql`lower(u.username) = ${p.username}`);
  return ors.length ? sql`(${sql.join(ors, sql` or `)})` : null;
}

type Row = {
  id: string;
  first_name: string;
  last_name: string;
  account_number: string | null;
  city: string | null;
  closed: boolean;
};

const columns = sql`u.id, u.first_name, u.last_name, u.account_number, coalesce(a.city, '') as city,
  u.closed_at is not null as closed`;
const serviceAddress = sql`left join addresses a on a.user_id = u.id and a.kind = 'service'`;
// Only customers are ever results: the name indexes are partial on this very predicate.
const customersOnly = sql`u.role = 'customer'`;

function hit(r: Row): CustomerHit {
  return {
    id: r.id,
    firstName: r.first_name,
    lastName: r.last_name,
    accountNumber: r.account_number,
    city: r.city ?? "",
    closed: r.closed,
  };
}

/**
 * The customers matching a search, a page at a time. Results come in groups: exact matches of an
 * account number, phone, e-mail or username first, then each name reading in turn (see
 * parseCustomerSearch), each group ordered by name; a customer appears once, in the first group
 * that has them. Each group is counted only up to the cap.
 *
 * Refused without touching the database: a search over 100 characters ("invalidInput"; the page
 * shows the schema's "Use at most 100 characters") and one with nothing to look up
 * ("customerSearchNothing").
 */
export async function searchCustomers(input: CustomerSearchInput): Promise<Outcome<CustomerSearch>> {
  const parsedInput = z.safeParse(customerSearchSchema, input);
  // The page checks the schema first to show the field's own words; this is the second lock.
  if (!parsedInput.success) return fail("invalidInput");
  const { q, page: askedPage } = parsedInput.data;
  const empty: CustomerSearch = { q, kinds: [], hits: [], page: 1, pages: 0, total: 0, capped: false };
  if (!q) return ok(empty);
  const parsed = parseCustomerSearch(q);
  const kinds = matchKinds(parsed);
  if (!kinds.length) return fail("customerSearchNothing");

  // 1. Exact matches (unique indexes on account number, lower(username), lower(email); the phone
  //    index): few rows, read whole.
  const exact = exactCondition(parsed);
  const exactRows = exact
    ? (
        await db.execute<Row>(sql`
          select ${columns} from users u ${serviceAddress}
           where ${customersOnly} and ${exact}
           order by ${LAST}, ${FIRST}, u.id
           limit ${CUSTOMER_RESULTS_CAP + 1}`)
      ).rows
    : [];
  const exactIds = exactRows.map((r) => r.id);
  const notExact = exactIds.length
    ? sql`and u.id not in (${sql.join(
        exactIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`
    : sql``;

  // 2. Each name reading, less the customers an earlier group already lists: its condition is a
  //    range on one of the folded-name indexes.
  const groups = parsed.names.map((n, i) => {
    const earlier = parsed.names.slice(0, i).map((e) => sql`and not ${nameCondition(e)}`);
    return {
      where: sql`${customersOnly} and ${nameCondition(n)} ${notExact} ${sql.join(earlier, sql` `)}`,
      order: nameOrder(n),
    };
  });
  let counts: number[] = [];
  if (groups.length) {
    const { rows } = await db.execute<Record<string, number | string>>(
      sql`select ${sql.join(
        groups.map(
          (g, i) =>
            sql`(select count(*) from (select 1 from users u where ${g.where} limit ${CUSTOMER_RESULTS_CAP + 1}) s) as ${sql.identifier(`c${i}`)}`,
        ),
        sql`, `,
      )}`,
    );
    counts = groups.map((_, i) => Number(rows[0][`c${i}`]));
  }

  const sum = exactRows.length + counts.reduce((a, b) => a + b, 0);
  const capped = sum > CUSTOMER_RESULTS_CAP;
  const total = Math.min(sum, CUSTOMER_RESULTS_CAP);
  const pages = Math.ceil(total / CUSTOMER_PAGE_SIZE);
  const page = Math.min(askedPage, Math.max(pages, 1));
  const from = (page - 1) * CUSTOMER_PAGE_SIZE;
  const to = Math.min(from + CUSTOMER_PAGE_SIZE, total);

  // 3. The page: the slice of each group that falls inside [from, to).
  const hits: CustomerHit[] = exactRows.slice(from, to).map(hit);
  let start = exactRows.length;
  for (const [i, g] of groups.entries()) {
    const lo = Math.max(from, start);
    const hi = Math.min(to, start + counts[i]);
    if (lo < hi) {
      // The page's rows are picked from the index first and only those 20 get their address: a
      // join before the OFFSET would fetch the address of every row skipped, too.
      const [k1, k2] = g.order;
      const { rows } = await db.execute<Row>(sql`
        select ${columns}
          from (select u.id, u.first_name, u.last_name, u.account_number, u.closed_at, ${k1} as k1, ${k2} as k2
                  from users u
                 where ${g.where}
                 order by ${k1}, ${k2}, u.id
                 limit ${hi - lo} offset ${lo - start}) u
          ${serviceAddress}
         order by u.k1, u.k2, u.id`);
      hits.push(...rows.map(hit));
    }
    start += counts[i];
  }
  return ok({ q, kinds, hits, page, pages, total, capped });
}
