import "server-only";
import type * as zcore from "zod/v4/core";
import type { Capability } from "@/lib/auth/capabilities";
import { currentSession } from "@/lib/auth/current";
import { requestContext } from "@/lib/http/request-context";
import { runSecureAction, type ActionHandler, type SecureActionOptions } from "./door";
import { registerAction } from "./registry";
import type { ActionResult } from "./result";

/**
 * Wraps a handler as a server action usable with `useActionState` and as a plain `<form action>`
 * (so forms work with JavaScript off), with this request's facts and session. See door.ts for the
 * order of checks.
 */
export function secureAction<S extends zcore.$ZodType, T, C extends Capability>(
  options: SecureActionOptions<S, C>,
  handler: ActionHandler<S, T, C>,
) {
  const action = async (_previous: unknown, input: FormData | Record<string, unknown>): Promise<ActionResult<T>> =>
    runSecureAction(options, handler, input, { request: requestContext, session: currentSession });
  registerAction(action, options.capability);
  return action;
}
