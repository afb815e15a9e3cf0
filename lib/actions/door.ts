import "server-only";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod/mini";
import type * as zcore from "zod/v4/core";
import { capabilities, type Capability } from "@/lib/auth/capabilities";
import { noteDatabaseError } from "@/db/availability";
import type { ActiveSession } from "@/lib/auth/sessions";
import type { RequestContext } from "@/lib/http/request-context";
import { messages } from "@/lib/messages";
import { inWords, type ActionResult, type Outcome } from "./result";
import { isSecretField } from "./secret-fields";

export type SecureActionOptions<S extends zcore.$ZodType, C extends Capability = Capability> = {
  schema: S;
  /** What the action does, as named in the role table (lib/auth/capabilities.ts): who may run it. */
  capability: C;
  /** Refuse unless server.ts saw the request arrive over HTTPS. */
  httpsOnly: boolean;
};

export type ActionContext<C extends Capability> = {
  request: RequestContext;
  session: C extends "public" ? ActiveSession | null : ActiveSession;
};

/** The handler returns a domain outcome (refusals as codes), which the door puts into words. */
export type ActionHandler<S extends zcore.$ZodType, T, C extends Capability> = (
  input: zcore.output<S>,
  ctx: ActionContext<C>,
) => Promise<Outcome<T>>;

/** Sources of the request facts, injectable so the door's order can be tested on its own. */
type DoorDeps = {
  request: () => Promise<RequestContext>;
  session: () => Promise<ActiveSession | null>;
};

/** FormData → plain object. React's own `$ACTION_*` fields are dropped; repeated keys become arrays. */
function formDataToObject(input: FormData | Record<string, unknown>): Record<string, unknown> {
  if (!(input instanceof FormData)) return { ...input };
  const out: Record<string, unknown> = {};
  for (const [key, value] of input.entries()) {
    if (key.startsWith("$ACTION")) continue;
    const v = typeof value === "string" ? value : value.name;
    if (key in out) out[key] = ([] as unknown[]).concat(out[key], v);
    else out[key] = v;
  }
  return out;
}

function echoValues(raw: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === "string" && !isSecretField(k)) values[k] = v.slice(0, 1000);
  }
  return values;
}

/**
 * The one door every mutation passes, in this order: HTTPS → session (revoked sessions fail) →
 * role → zod parse → handler. Returns a typed result in words and never throws to the form,
 * except for Next's own redirect/notFound signals, which must propagate.
 */
export async function runSecureAction<S extends zcore.$ZodType, T, C extends Capability>(
  options: SecureActionOptions<S, C>,
  handler: ActionHandler<S, T, C>,
  rawInput: FormData | Record<string, unknown>,
  deps: DoorDeps,
): Promise<ActionResult<T>> {
  const raw = formDataToObject(rawInput);
  try {
    const request = await deps.request();
    if (options.httpsOnly && request.proto !== "https") {
      return { ok: false, formError: messages.httpsRequired, code: "httpsRequired" };
    }
    // Public actions still get the session when there is one: the chat and Contact Us serve
    // visitors and signed-in customers alike, and must know which they have.
    const session = await deps.session();
    const allowed: readonly string[] | "public" = capabilities[options.capability];
    if (allowed !== "public") {
      if (!session) return { ok: false, formError: messages.signedOut, code: "signedOut" };
      if (!allowed.includes(session.role)) return { ok: false, formError: messages.forbidden, code: "forbidden" };
    }
    const parsed = z.safeParse(options.schema, raw);
    if (!parsed.success) {
      return {
        ok: false,
        formError: messages.invalidInput,
        code: "invalidInput",
        fieldErrors: z.flattenError(parsed.error).fieldErrors,
        values: echoValues(raw),
      };
    }
    const result = inWords(await handler(parsed.data, { request, session } as ActionContext<C>));
    return result.ok ? result : { ...result, values: result.values ?? echoValues(raw) };
  } catch (err) {
    unstable_rethrow(err);
    if (noteDatabaseError(err)) {
      return { ok: false, formError: messages.outage, code: "outage", values: echoValues(raw) };
    }
    console.error("[action] unexpected error:", err);
    return { ok: false, formError: messages.unexpected, code: "unexpected", values: echoValues(raw) };
  }
}
