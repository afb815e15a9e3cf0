import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditEvents, type Role } from "@/db/schema";
import { createSession, findActiveSession, revokeSession } from "@/lib/auth/sessions";
import { openOptInExport } from "@/lib/marketing/export";
import { exportMyData } from "@/lib/privacy/export";
import { createUser } from "@/lib/test/factories";
import { openAuditExport } from "./log";

// A documentation address of this test's own: refusals with no actor are found by it.
const freshIp = () => `2001:db8::${randomBytes(2).toString("hex")}:${randomBytes(2).toString("hex")}`;

const refusalsFrom = (ip: string) =>
  db
    .select({ actorId: auditEvents.actorId, action: auditEvents.action, detail: auditEvents.detail })
    .from(auditEvents)
    .where(and(eq(auditEvents.ip, ip)))
    .orderBy(auditEvents.id);

/** Each export, asked for by `viewer` (null: no live session) from `ip`. */
const exportsAskedBy = (viewer: { userId: string; role: Role } | null, ip: string) => [
  () => exportMyData(viewer, { ip }),
  () => openAuditExport(viewer, new URLSearchParams({ action: "staff.disabled" }), ip),
  () => openOptInExport(viewer, "newsletter", ip),
];

describe("refused exports are audited", () => {
  it("exports: a request with no session is refused and audited with no actor, its address and which export", async () => {
    const ip = freshIp();
    const answers = [];
    for (const ask of exportsAskedBy(null, ip)) answers.push(await ask());
    expect(answers).toEqual([
      { ok: false, code: "signedOut" },
      { ok: false, code: "auditExportSignedOut" },
      { ok: false, code: "exportSignedOut" },
    ]);
    expect(await refusalsFrom(ip)).toEqual([
      { actorId: null, action: "data.export_denied", detail: { reason: "signed out" } },
      {
        actorId: null,
        action: "audit.export_denied",
        detail: expect.objectContaining({ reason: "signed out", action: "staff.disabled" }),
      },
      { actorId: null, action: "marketing.export_denied", detail: { topic: "newsletter", reason: "signed out" } },
    ]);
  });

  it("exports: another role's session is refused and audited with its actor and role", async () => {
    const ip = freshIp();
    const customer = await createUser();
    const marketing = await createUser({ role: "marketing", twoStep: true });
    const [, auditAsCustomer, optInsAsCustomer] = exportsAskedBy({ userId: customer.id, role: "customer" }, ip);
    const [myDataAsStaff] = exportsAskedBy({ userId: marketing.id, role: "marketing" }, ip);
    expect(await myDataAsStaff()).toEqual({ ok: false, code: "forbidden" });
    expect(await auditAsCustomer()).toEqual({ ok: false, code: "auditExportForbidden" });
    expect(await optInsAsCustomer()).toEqual({ ok: false, code: "exportForbidden" });
    expect(await refusalsFrom(ip)).toEqual([
      { actorId: marketing.id, action: "data.export_denied", detail: { role: "marketing" } },
      {
        actorId: customer.id,
        action: "audit.export_denied",
        detail: expect.objectContaining({ role: "customer", action: "staff.disabled" }),
      },
      { actorId: customer.id, action: "marketing.export_denied", detail: { topic: "newsletter", role: "customer" } },
    ]);
  });

  it("exports: a revoked session counts as none: refused and audited with no actor", async () => {
    const ip = freshIp();
    const admin = await createUser({ role: "admin", twoStep: true });
    const sid = await createSession(db, { userId: admin.id, userAgent: "test", ip });
    expect(await findActiveSession(sid)).toMatchObject({ userId: admin.id });
    await revokeSession(db, admin.id, sid, "signed out");
    // What the export routes do: the viewer is the live session behind the cookie, if any.
    const live = await findActiveSession(sid);
    expect(live).toBeNull();
    for (const ask of exportsAskedBy(live, ip)) expect(await ask()).toMatchObject({ ok: false });
    expect((await refusalsFrom(ip)).map((r) => [r.actorId, r.action])).toEqual([
      [null, "data.export_denied"],
      [null, "audit.export_denied"],
      [null, "marketing.export_denied"],
    ]);
  });
});
