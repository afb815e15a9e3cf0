import { say, type Message } from "@/lib/messages";

// Client-safe: forms import these types, so this module imports nothing from the server.

/** A success, with the sentence that confirms it (it names what was saved, so the rule says it). */
export type Success<T> = { ok: true; data: T; message?: string };

/**
 * A refusal as a domain function reports it: codes of lib/messages.ts for the form (`error`) and
 * for single fields (`fieldErrors`). The door turns them into words (see `inWords`).
 */
export type Refusal = {
  ok: false;
  error: Message;
  fieldErrors?: Record<string, Message[]>;
  /** The values now stored, for a save refused as stale ("staleSection"): the form shows them. */
  values?: Record<string, string>;
  /** A stale save's section as stored now: shown beside what was typed, which the form keeps. */
  current?: SectionNow;
};

/** A section's read-only summary lines and its form's starting values (lib/profile/display.ts). */
export type SectionNow = { display: { label: string; value: string }[]; initial: Record<string, unknown> };

/** What a domain function returns. */
export type Outcome<T = undefined> = Success<T> | Refusal;

/** What every server action returns to its form, in the words a person reads. Never a thrown stack trace. */
export type ActionResult<T = undefined> =
  | Success<T>
  | {
      ok: false;
      formError: string;
      /** The refusal's code (lib/messages.ts): what a JSON client or a route handler's status is chosen by. */
      code?: string;
      /** The save was refused because the data changed since the form was loaded. */
      conflict?: boolean;
      fieldErrors?: Record<string, string[] | undefined>;
      /** The submitted non-secret values, so a form re-rendered without JavaScript keeps them. */
      values?: Record<string, string>;
      /** With `conflict`: the section as stored now (the typed values stay in `values`). */
      current?: SectionNow;
    };

export function ok<T>(data: T, message?: string): Success<T> {
  return { ok: true, data, message };
}

/** A refusal: `fail("invalidInput", { newEmail: ["emailTaken"] })`. */
export function fail(error: Message, fieldErrors?: Record<string, Message[]>): Refusal {
  return { ok: false, error, fieldErrors };
}

/** The outcome in words, as the form receives it. */
export function inWords<T>(result: Outcome<T>): ActionResult<T> {
  if (result.ok) return result;
  const { error, fieldErrors, values, current } = result;
  return {
    ok: false,
    formError: say(error),
    code: typeof error === "string" ? error : error.code,
    ...(error === "staleSection" && { conflict: true }),
    ...(fieldErrors && {
      fieldErrors: Object.fromEntries(Object.entries(fieldErrors).map(([field, codes]) => [field, codes.map(say)])),
    }),
    ...(values && { values }),
    ...(current && { current }),
  };
}
