/** What every server action returns to its form. Never a thrown stack trace. */
export type ActionResult<T = undefined> =
  | { ok: true; data: T; message?: string }
  | {
      ok: false;
      formError: string;
      /** The save was refused because the data changed since the form was loaded. */
      conflict?: boolean;
      fieldErrors?: Record<string, string[] | undefined>;
      /** The submitted non-secret values, so a form re-rendered without JavaScript keeps them. */
      values?: Record<string, string>;
    };

export const HTTPS_REQUIRED_MESSAGE =
  "For your security, changes to your profile can only be made over a secure (HTTPS) connection";
export const SIGNED_OUT_MESSAGE = "Your session has ended. Please sign in again.";
export const FORBIDDEN_MESSAGE = "You don't have permission to do that.";
export const INVALID_INPUT_MESSAGE = "Please correct the highlighted fields.";
export const UNEXPECTED_MESSAGE = "Something went wrong on our side — nothing was changed. Please try again.";

export function ok<T>(data: T, message?: string): ActionResult<T> {
  return { ok: true, data, message };
}

export function fail(formError: string, fieldErrors?: Record<string, string[]>): ActionResult<never> {
  return { ok: false, formError, fieldErrors };
}
