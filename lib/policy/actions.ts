import "server-only";
import type * as zcore from "zod/v4/core";
import type { ActionHandler } from "@/lib/actions/door";
import { ok } from "@/lib/actions/result";
import { publishDraft, saveDraft, startDraft, withdrawUpcoming } from "./admin";
import { runNoticeMailing } from "./notices";
import { publishSchema, saveDraftSchema, startDraftSchema, withdrawSchema } from "./schema";

/**
 * The admin's policy actions as the door runs them: admins only, over HTTPS, zod-checked. The
 * console page wraps these with secureAction; the tests run the same definitions through the door.
 */
function def<S extends zcore.$ZodType, T>(schema: S, handler: ActionHandler<S, T, "admin.policy">) {
  return { options: { schema, capability: "admin.policy" as const, httpsOnly: true }, handler };
}

export const policyActions = {
  startDraft: def(startDraftSchema, (_input, { session, request }) =>
    startDraft({ userId: session.userId, ip: request.clientIp }),
  ),
  saveDraft: def(saveDraftSchema, async (input, { session, request }) => {
    const result = await saveDraft({ userId: session.userId, ip: request.clientIp }, input);
    if (!result.ok) return result;
    return ok({ values: { ...stringValues(input), rowVersion: String(result.data.rowVersion) } }, result.message);
  }),
  publish: def(publishSchema, async (input, { session, request }) => {
    const result = await publishDraft({ userId: session.userId, ip: request.clientIp }, input);
    // The mailing runs after the publish committed, in the background so the page answers at
    // once; resumeNoticeMailings() finishes it after a restart.
    if (result.ok && result.data.material) {
      const id = result.data.id;
      void runNoticeMailing(id).catch((err) => console.error(`[policy ${id}] notice mailing failed:`, err));
    }
    return result;
  }),
  withdraw: def(withdrawSchema, (input, { session, request }) =>
    withdrawUpcoming({ userId: session.userId, ip: request.clientIp }, input),
  ),
};

function stringValues(input: { id: number; markdown: string; summary: string; material: boolean }) {
  return {
    id: String(input.id),
    markdown: input.markdown,
    summary: input.summary,
    material: input.material ? "on" : "",
  };
}
