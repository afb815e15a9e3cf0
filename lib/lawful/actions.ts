import "server-only";
import type * as zcore from "zod/v4/core";
import type { ActionHandler } from "@/lib/actions/door";
import { ok } from "@/lib/actions/result";
import { recordLawfulRequest } from "./register";
import { emptyLawfulRequest, lawfulRequestSchema } from "./schema";

/**
 * The register's action as the door runs it: admins only ("admin.lawful"), over HTTPS,
 * zod-checked. The console page wraps it with secureAction; the tests run the same definition
 * through the door.
 */
function def<S extends zcore.$ZodType, T>(schema: S, handler: ActionHandler<S, T, "admin.lawful">) {
  return { options: { schema, capability: "admin.lawful" as const, httpsOnly: true }, handler };
}

// The checkbox goes back as false, not "": the form's schema reads "" as no valid answer.
const emptied: Record<string, string | boolean> = { ...emptyLawfulRequest };

export const lawfulActions = {
  record: def(lawfulRequestSchema, async (input, { session, request }) => {
    const result = await recordLawfulRequest({ userId: session.userId, ip: request.clientIp }, input);
    if (!result.ok) return result;
    // The form empties for the next entry.
    return ok({ ...result.data, values: emptied }, result.message);
  }),
};
