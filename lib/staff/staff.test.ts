import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { z } from "zod/mini";
import { db } from "@/db/client";
import { auditEvents, authenticatorApps, mailOutbox, passwordResets, sessions, users, type Role } from "@/db/schema";
import { describeActivity } from "@/lib/audit/activity";
import { resetPassword } from "@/lib/auth/password-reset";
import { createSession, findActiveSession } from "@/lib/auth/sessions";
import { verifyCredentials } from "@/lib/auth/verify-credentials";
import { createUser, randomName } from "@/lib/test/factories";
import { hasSecondFactor } from "@/lib/two-step/factors";
import { changeStaffRoleSchema, createStaffSchema, resetStaffTwoStepSchema, setStaffDisabledSchema } from "./schema";
import { changeStaffRole, createStaff, listStaff, resetStaffTwoStep, setStaffDisabled } from "./staff";

const ip = "198.51.100.20";

async function staffMember(role: Role) {
  const u = await createUser({ role });
  const [row] = await db.select({ version: users.version }).from(users).where(eq(users.id, u.id));
  return { ...u, version: row.version, actor: { userId: u.id, ip } };
}

async function signedIn(userId: string) {
  return createSession(db, { userId, userAgent: "vitest", ip });
}

async function versionOf(userId: string) {
  const [row] = await db
    .select({ version: users.version, role: users.role, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.id, userId));
  return row;
}

async function auditCount() {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(auditEvents);
  return row.n;
}

function newStaff(overrides: Partial<Record<string, string>> = {}) {
  const username = randomName("staff");
  return createStaffSchema.parse({
    firstName: "Sam",
    lastName: "Staff",
    username,
    email: `${username}@example.test`,
    role: "rep",
    ...overrides,
  });
}

/** Leaves `keep` as the only active admin (other tests' admins are disabled directly). */
async function onlyActiveAdmin(keep: string) {
  await db
    .update(users)
    .set({ disabledAt: sql`now()` })
    .where(and(eq(users.role, "admin"), isNull(users.disabledAt), ne(users.id, keep)));
}

describe("staff accounts", () => {
  it("staff: an admin creates a rep, who gets a set-your-password mail, sets it and signs in", async () => {
    const admin = await staffMember("admin");
    const input = newStaff({ username: `New.Rep_${randomName("x").slice(-6)}` });
    const result = await createStaff(admin.actor, input);
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    const [created] = await db.select().from(users).where(eq(users.id, result.data.id));
    expect(created).toMatchObject({ role: "rep", passwordHash: null, username: input.username.toLowerCase() });
    const mails = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, input.email));
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe("Set your password for the MyAccount staff console");
    const token = /reset-password\?token=([\w-]+)/.exec(mails[0].textBody)?.[1];
    expect(token).toBeTruthy();
    const [reset] = await db.select().from(passwordResets).where(eq(passwordResets.userId, created.id));
    // The invitation lasts days, not the 30 minutes of a forgotten password.
    expect(reset.expiresAt.getTime() - Date.now()).toBeGreaterThan(70 * 3600_000);

    // No password yet: nothing signs in.
    expect(
      await verifyCredentials({ identifier: input.username, password: "", ip, userAgent: "vitest" }),
    ).toMatchObject({ ok: false });
    const password = "a long staff pass phrase 2026";
    expect(await resetPassword({ token: token!, password }, { ip })).toMatchObject({ ok: true });
    expect(await verifyCredentials({ identifier: input.username, password, ip, userAgent: "vitest" })).toMatchObject({
      ok: true,
    });

    const audit = await db.select().from(auditEvents).where(eq(auditEvents.subjectUserId, created.id));
    expect(audit.find((a) => a.action === "staff.created")).toMatchObject({ actorId: admin.id, ip });
    const listed = (await listStaff()).find((s) => s.id === created.id);
    expect(listed).toMatchObject({ role: "rep", disabled: false, invited: false });
    // Signed in once (verifyCredentials made a session): the list shows when.
    expect(listed?.lastSignInAt).toBeInstanceOf(Date);
  });

  it("staff: a duplicate username or e-mail (any case) is refused on its field, nothing written", async () => {
    const admin = await staffMember("admin");
    const existing = await createUser({ role: "customer" });
    const before = await auditCount();
    const byName = await createStaff(admin.actor, newStaff({ username: existing.username.toUpperCase() }));
    expect(byName).toMatchObject({ ok: false, error: "invalidInput", fieldErrors: { username: ["usernameTaken"] } });
    const byEmail = await createStaff(admin.actor, newStaff({ email: existing.email.toUpperCase() }));
    expect(byEmail).toMatchObject({ ok: false, error: "invalidInput", fieldErrors: { email: ["emailTaken"] } });
    expect(await auditCount()).toBe(before);
  });

  it("staff: the schema limits every field with a message", () => {
    const bad = createStaffSchema.safeParse({
      firstName: "x".repeat(81),
      lastName: "",
      username: "a b",
      email: "not-an-email",
      role: "customer",
    });
    expect(bad.success).toBe(false);
    const fields = z.flattenError(bad.error!).fieldErrors as Record<string, string[]>;
    expect(fields.firstName).toEqual(["Use at most 80 characters"]);
    expect(fields.lastName).toEqual(["Enter the last name"]);
    expect(fields.username?.[0]).toMatch(/letters, digits/);
    expect(fields.email).toEqual(["Enter a valid e-mail address"]);
    expect(fields.role?.[0]).toMatch(/Choose a role/);
    expect(createStaffSchema.safeParse({ ...newStaff(), username: "ab" }).success).toBe(false);
    expect(createStaffSchema.safeParse({ ...newStaff(), username: "a".repeat(33) }).success).toBe(false);
    expect(createStaffSchema.safeParse({ ...newStaff(), username: "12345" }).success).toBe(false);
    expect(changeStaffRoleSchema.safeParse({ userId: "x", version: "1", role: "rep" }).success).toBe(false);
    expect(
      setStaffDisabledSchema.safeParse({ userId: crypto.randomUUID(), version: "0", disabled: "disable" }).success,
    ).toBe(false);
  });

  it("staff: disabling ends the member's sessions at once and refuses sign-in; enabling lets them back", async () => {
    const admin = await staffMember("admin");
    const rep = await staffMember("rep");
    const sid = await signedIn(rep.id);
    expect(await findActiveSession(sid)).not.toBeNull();
    const done = await setStaffDisabled(admin.actor, { userId: rep.id, version: rep.version, disabled: "disable" });
    expect(done).toMatchObject({ ok: true });
    expect(await findActiveSession(sid)).toBeNull();
    const [session] = await db.select().from(sessions).where(eq(sessions.id, sid));
    expect(session.revokedReason).toBe("account disabled");
    expect(
      await verifyCredentials({ identifier: rep.username, password: rep.password, ip, userAgent: "vitest" }),
    ).toMatchObject({
      ok: false,
    });
    const after = await versionOf(rep.id);
    expect(after.disabledAt).not.toBeNull();

    expect(
      await setStaffDisabled(admin.actor, { userId: rep.id, version: after.version, disabled: "enable" }),
    ).toMatchObject({ ok: true });
    expect(
      await verifyCredentials({ identifier: rep.username, password: rep.password, ip, userAgent: "vitest" }),
    ).toMatchObject({
      ok: true,
    });
    const actions = await db
      .select({ action: auditEvents.action, actorId: auditEvents.actorId })
      .from(auditEvents)
      .where(eq(auditEvents.subjectUserId, rep.id));
    expect(actions.filter((a) => a.actorId === admin.id).map((a) => a.action)).toEqual([
      "staff.disabled",
      "staff.enabled",
    ]);
  });

  it("staff: a role change ends the member's sessions; customers are never made staff nor staff customers", async () => {
    const admin = await staffMember("admin");
    const marketing = await staffMember("marketing");
    const sid = await signedIn(marketing.id);
    expect(
      await changeStaffRole(admin.actor, { userId: marketing.id, version: marketing.version, role: "rep" }),
    ).toMatchObject({ ok: true });
    expect(await findActiveSession(sid)).toBeNull();
    expect((await versionOf(marketing.id)).role).toBe("rep");
    const [audit] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectUserId, marketing.id), eq(auditEvents.action, "staff.role_changed")));
    expect(audit.detail).toMatchObject({ from: "marketing", to: "rep" });

    const customer = await staffMember("customer");
    const before = await auditCount();
    expect(
      await changeStaffRole(admin.actor, { userId: customer.id, version: customer.version, role: "admin" }),
    ).toMatchObject({ ok: false, error: "staffNotFound" });
    expect(
      await setStaffDisabled(admin.actor, { userId: customer.id, version: customer.version, disabled: "disable" }),
    ).toMatchObject({ ok: false, error: "staffNotFound" });
    expect(changeStaffRoleSchema.safeParse({ userId: marketing.id, version: 2, role: "customer" }).success).toBe(false);
    expect(await versionOf(customer.id)).toMatchObject({ role: "customer", disabledAt: null });
    expect(await auditCount()).toBe(before);
  });

  it("staff: a stale edit (the row changed since the page was loaded) is refused and changes nothing", async () => {
    const admin = await staffMember("admin");
    const rep = await staffMember("rep");
    expect(
      await changeStaffRole(admin.actor, { userId: rep.id, version: rep.version, role: "marketing" }),
    ).toMatchObject({ ok: true });
    const before = await auditCount();
    expect(
      await setStaffDisabled(admin.actor, { userId: rep.id, version: rep.version, disabled: "disable" }),
    ).toMatchObject({ ok: false, error: "staleSection" });
    expect(await changeStaffRole(admin.actor, { userId: rep.id, version: rep.version, role: "admin" })).toMatchObject({
      ok: false,
      error: "staleSection",
    });
    expect(await versionOf(rep.id)).toMatchObject({ role: "marketing", disabledAt: null });
    expect(await auditCount()).toBe(before);
  });

  it("staff: the last active admin cannot be demoted or disabled, by themself or anyone", async () => {
    const admin = await staffMember("admin");
    await onlyActiveAdmin(admin.id);
    const before = await auditCount();
    const v = (await versionOf(admin.id)).version;
    expect(await changeStaffRole(admin.actor, { userId: admin.id, version: v, role: "rep" })).toMatchObject({
      ok: false,
      error: "staffLastAdmin",
    });
    expect(await setStaffDisabled(admin.actor, { userId: admin.id, version: v, disabled: "disable" })).toMatchObject({
      ok: false,
      error: "staffLastAdmin",
    });
    expect(await versionOf(admin.id)).toMatchObject({ role: "admin", disabledAt: null, version: v });
    expect(await auditCount()).toBe(before);

    // With a second admin, one may step down; then the other is the last.
    const second = await staffMember("admin");
    expect(await changeStaffRole(admin.actor, { userId: admin.id, version: v, role: "rep" })).toMatchObject({
      ok: true,
    });
    expect(
      await setStaffDisabled(second.actor, { userId: second.id, version: second.version, disabled: "disable" }),
    ).toMatchObject({ ok: false, error: "staffLastAdmin" });
    // The demoted admin cannot act any more, even with a request already under way.
    expect(
      await setStaffDisabled(admin.actor, { userId: second.id, version: second.version, disabled: "disable" }),
    ).toMatchObject({ ok: false, error: "forbidden" });
  });

  it("staff: two admins disabling each other at once leave one of them active", async () => {
    const a = await staffMember("admin");
    await onlyActiveAdmin(a.id);
    const b = await staffMember("admin");
    const results = await Promise.all([
      setStaffDisabled(a.actor, { userId: b.id, version: b.version, disabled: "disable" }),
      setStaffDisabled(b.actor, { userId: a.id, version: a.version, disabled: "disable" }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const active = await db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.role, "admin"), isNull(users.disabledAt)));
    expect(active).toHaveLength(1);
  });

  it("staff: an admin resets a member's two-step (reason audited, sessions end, mail); their next sign-in must enrol", async () => {
    const admin = await staffMember("admin");
    const rep = await staffMember("rep");
    const [email] = await db.select({ email: users.email }).from(users).where(eq(users.id, rep.id));
    const session = await signedIn(rep.id);
    expect(await findActiveSession(session)).not.toBeNull();
    expect((await listStaff()).find((s) => s.id === rep.id)?.twoStep).toBe("Authenticator app");

    // A reason is required, and limited.
    expect(resetStaffTwoStepSchema.safeParse({ userId: rep.id, version: rep.version, reason: " " }).success).toBe(
      false,
    );
    expect(
      resetStaffTwoStepSchema.safeParse({ userId: rep.id, version: rep.version, reason: "x".repeat(301) }).success,
    ).toBe(false);
    // A stale form changes nothing; an admin cannot reset their own.
    expect(
      await resetStaffTwoStep(admin.actor, { userId: rep.id, version: rep.version + 5, reason: "lost phone" }),
    ).toMatchObject({ ok: false, error: "staleSection" });
    expect(
      await resetStaffTwoStep(admin.actor, { userId: admin.id, version: admin.version, reason: "lost phone" }),
    ).toMatchObject({ ok: false, error: "staffTwoStepResetSelf" });
    expect(await hasSecondFactor(rep.id)).toBe(true);

    expect(
      await resetStaffTwoStep(admin.actor, { userId: rep.id, version: rep.version, reason: "Lost phone, video call" }),
    ).toMatchObject({ ok: true });
    expect(await hasSecondFactor(rep.id)).toBe(false);
    expect(await db.select().from(authenticatorApps).where(eq(authenticatorApps.userId, rep.id))).toHaveLength(0);
    expect(await findActiveSession(session)).toBeNull();
    const [audit] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectUserId, rep.id), eq(auditEvents.action, "staff.two_step_reset")));
    expect(audit).toMatchObject({ actorId: admin.id, ip });
    expect(audit.detail).toMatchObject({ reason: "Lost phone, video call", authenticatorRemoved: true });
    expect(describeActivity(audit.action, audit.detail)).toBe(
      "Two-step sign-in reset by an administrator (all devices signed out)",
    );
    const mails = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, email.email!));
    expect(mails.map((m) => m.subject)).toContain("Your two-step sign-in for the MyAccount staff console was reset");
    expect((await listStaff()).find((s) => s.id === rep.id)?.twoStep).toBeNull();
    // The password still works, but only as far as enrolment.
    const again = await verifyCredentials({
      identifier: rep.username,
      password: rep.password,
      ip,
      userAgent: "vitest",
    });
    expect(again).toMatchObject({ ok: true });
    if (again.ok) {
      const [row] = await db.select({ stage: sessions.stage }).from(sessions).where(eq(sessions.id, again.sessionId));
      expect(row.stage).toBe("enrol");
      expect(await findActiveSession(again.sessionId)).toBeNull();
    }
  });

  it("staff: customer, rep and marketing actors are refused every change, nothing written", async () => {
    const rep = await staffMember("rep");
    for (const role of ["customer", "rep", "marketing"] as const) {
      const actor = await staffMember(role);
      const before = await auditCount();
      const input = newStaff();
      expect(await createStaff(actor.actor, input)).toMatchObject({ ok: false, error: "forbidden" });
      expect(await changeStaffRole(actor.actor, { userId: rep.id, version: rep.version, role: "admin" })).toMatchObject(
        { ok: false, error: "forbidden" },
      );
      expect(
        await setStaffDisabled(actor.actor, { userId: rep.id, version: rep.version, disabled: "disable" }),
      ).toMatchObject({ ok: false, error: "forbidden" });
      expect(
        await resetStaffTwoStep(actor.actor, { userId: rep.id, version: rep.version, reason: "lost phone" }),
      ).toMatchObject({ ok: false, error: "forbidden" });
      expect(await hasSecondFactor(rep.id)).toBe(true);
      expect(await auditCount()).toBe(before);
      expect(await db.select().from(users).where(eq(users.username, input.username))).toHaveLength(0);
      expect(await versionOf(rep.id)).toMatchObject({ role: "rep", disabledAt: null, version: rep.version });
    }
  });
});
