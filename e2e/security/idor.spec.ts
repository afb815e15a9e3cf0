import { expect, test } from "@playwright/test";
import { e2e } from "../support/config";
import { createCustomer, testDb, type TestCustomer } from "../support/users";
import {
  actionId,
  browserHeaders,
  callAction,
  changedTables,
  raw,
  refusalOf,
  sessionFor,
  snapshot,
  userIdOf,
} from "./support";

/*
 * Another customer's ids in every parameter that carries one, and fields no form has (userId,
 * role, version tricks) in the forms that save a person: refused or ignored, and the victim's
 * rows unchanged. The attacker is a real signed-in customer (or a rep without a grant).
 */

test.skip(e2e.db !== "postgres", "checks the run's Postgres database directly");

let attacker: TestCustomer;
let victim: TestCustomer;
let attackerCookie: string;
let victimSessionId: string;
let victimPasskeyId: string;
let victimConversation: number;
let victimProposal: number;

const profile = "app/account/profile/actions.ts";
const security = "app/account/security/actions.ts";

test.beforeAll(async () => {
  attacker = await createCustomer();
  victim = await createCustomer();
  attackerCookie = (await sessionFor(attacker.id)).cookie;
  victimSessionId = (await sessionFor(victim.id)).sessionId;
  const db = testDb();
  victimPasskeyId = (
    await db.query<{ id: string }>(
      `insert into passkeys (user_id, credential_id, public_key, name)
       values ($1, 'hostile-' || md5(random()::text), 'AAAA', 'Victim''s key') returning id`,
      [victim.id],
    )
  ).rows[0].id;
  victimConversation = (
    await db.query<{ id: number }>(
      `insert into chat_conversations (customer_id, topic, status, visitor_name) values ($1, 'Billing', 'waiting', 'Victim')
       returning id`,
      [victim.id],
    )
  ).rows[0].id;
  victimProposal = (
    await db.query<{ id: number }>(
      `insert into chat_proposals (conversation_id, customer_id, field, payload)
       values ($1, $2, 'phone', '{"phone":"3035550199"}') returning id`,
      [victimConversation, victim.id],
    )
  ).rows[0].id;
});

async function victimRows() {
  return snapshot([victim.id], [victimConversation]);
}

async function asAttacker(file: string, name: string, input: Record<string, unknown>, page = "/account/security") {
  return callAction({ id: actionId(file, name), page, cookie: attackerCookie, input });
}

test("idor: signing out another customer's device (their session id) changes nothing of theirs", async () => {
  const before = await victimRows();
  const reply = await asAttacker(security, "signOutDeviceGroupAction", { sessionIds: victimSessionId });
  expect(reply.status).toBeLessThan(500);
  const { rows } = await testDb().query("select revoked_at from sessions where id = $1", [victimSessionId]);
  expect(rows[0].revoked_at).toBeNull();
  expect(changedTables(before, await victimRows())).toEqual([]);
});

test("idor: renaming and removing another customer's passkey (its id) changes nothing of theirs", async () => {
  const before = await victimRows();
  for (const [name, input] of [
    ["renamePasskeyAction", { passkeyId: victimPasskeyId, name: "Pwned" }],
    ["removePasskeyAction", { passkeyId: victimPasskeyId }],
  ] as const) {
    const reply = await asAttacker(security, name, input);
    expect(refusalOf(reply), name).not.toBe("ACCEPTED");
    expect(reply.status).toBeLessThan(500);
  }
  expect(changedTables(before, await victimRows())).toEqual([]);
});

test("idor: a message, typing, transcript or end on another customer's chat (its id) is refused", async () => {
  const before = await victimRows();
  const wrong: string[] = [];
  for (const [route, body] of [
    ["/api/chat/send", { conversationId: victimConversation, body: "hostile" }],
    ["/api/chat/typing", { conversationId: victimConversation }],
    ["/api/chat/end", { conversationId: victimConversation }],
    ["/api/chat/state", { conversationId: victimConversation }],
    ["/api/chat/transcript", { conversationId: victimConversation, email: "thief@example.test" }],
    ["/api/chat/proposals/answer", { proposalId: victimProposal, answer: "approve" }],
  ] as const) {
    const res = await raw({
      method: "POST",
      path: route,
      headers: { ...browserHeaders(), "content-type": "application/json", cookie: attackerCookie },
      body: JSON.stringify(body),
    });
    if (res.status < 400 || res.status >= 500) wrong.push(`${route}: ${res.status} ${res.body.slice(0, 120)}`);
    if (res.body.includes("Victim")) wrong.push(`${route}: answered with the victim's chat`);
  }
  expect(wrong).toEqual([]);
  expect(changedTables(before, await victimRows())).toEqual([]);
});

test("idor: the data download ignores another customer's id in the query", async () => {
  const res = await raw({
    path: `/account/privacy/export?userId=${victim.id}&user=${victim.id}&id=${victim.id}`,
    headers: { cookie: attackerCookie },
  });
  expect(res.status).toBeLessThan(500);
  expect(res.body).not.toContain(victim.email);
  expect(res.body).not.toContain(victim.username);
});

test("idor: extra fields (userId, role, ids) in every Edit Profile form are ignored: the attacker's own row changes, the victim's does not", async () => {
  const extras = {
    userId: victim.id,
    user_id: victim.id,
    id: victim.id,
    customerId: victim.id,
    role: "admin",
    accountNumber: victim.accountNumber,
    username: victim.username,
    email: victim.email,
    registeredAt: "2000-01-01",
  };
  const before = await victimRows();
  const { rows } = await testDb().query("select name_version, phone_version from users where id = $1", [attacker.id]);
  const name = await asAttacker(
    profile,
    "updateNameAction",
    { ...extras, version: String(rows[0].name_version), firstName: "Mallory", lastName: "Own" },
    "/account/profile",
  );
  expect(refusalOf(name)).toBe("ACCEPTED");
  const phone = await asAttacker(
    profile,
    "updatePhoneAction",
    { ...extras, version: String(rows[0].phone_version), phone: "3035550142" },
    "/account/profile",
  );
  expect(phone.status).toBeLessThan(500);
  const after = await testDb().query("select role, first_name, username, account_number from users where id = $1", [
    attacker.id,
  ]);
  expect(after.rows[0]).toMatchObject({
    role: "customer",
    first_name: "Mallory",
    username: attacker.username,
    account_number: attacker.accountNumber,
  });
  expect(changedTables(before, await victimRows())).toEqual([]);
});

test("idor: version tricks (stale, future, negative, not a number, an array) never save", async () => {
  // A customer of its own: the attacker's accepted rename above gathers a mail that lands later.
  const trickster = await createCustomer();
  const trickCookie = (await sessionFor(trickster.id)).cookie;
  const mine = await snapshot([trickster.id]);
  const wrong: string[] = [];
  for (const version of ["0", "-1", "999999", "1e9", "NaN", "1.5", "", ["1", "2"], { $gt: 0 }]) {
    const reply = await callAction({
      id: actionId(profile, "updateNameAction"),
      page: "/account/profile",
      cookie: trickCookie,
      input: { version, firstName: "Version", lastName: "Trick" },
    });
    if (reply.status >= 500 || refusalOf(reply) === "ACCEPTED")
      wrong.push(`${JSON.stringify(version)}: ${refusalOf(reply)}`);
  }
  expect(wrong).toEqual([]);
  expect(changedTables(mine, await snapshot([trickster.id]))).toEqual([]);
});

test("idor: a rep acting for a customer they hold no grant for is refused, and the customer is unchanged", async () => {
  const rep = await sessionFor(await userIdOf("rep"));
  const before = await victimRows();
  const reply = await callAction({
    id: actionId("app/console/customers/[id]/actions.ts", "updateNameForCustomer"),
    page: `/console/customers/${victim.id}`,
    bound: [victim.id],
    cookie: rep.cookie,
    input: { version: "1", firstName: "Rep", lastName: "Without Grant", reason: "hostile" },
  });
  expect(refusalOf(reply)).not.toBe("ACCEPTED");
  expect(reply.status).toBeLessThan(500);
  expect(changedTables(before, await victimRows())).toEqual([]);
});

test("idor: an admin cannot turn a customer into staff, or disable them, through the staff form (a customer's id)", async () => {
  const admin = await sessionFor(await userIdOf("admin"));
  const before = await victimRows();
  for (const [name, input] of [
    ["changeStaffRoleAction", { userId: victim.id, role: "admin" }],
    ["setStaffDisabledAction", { userId: victim.id, disabled: "on" }],
    ["resetStaffTwoStepAction", { userId: victim.id }],
  ] as const) {
    const reply = await callAction({
      id: actionId("app/console/admin/staff/actions.ts", name),
      page: "/console/admin/staff",
      cookie: admin.cookie,
      input,
    });
    expect(refusalOf(reply), name).not.toBe("ACCEPTED");
    expect(reply.status).toBeLessThan(500);
  }
  expect(changedTables(before, await victimRows())).toEqual([]);
});
