import { browserSupportsWebAuthn, startAuthentication, startRegistration } from "@simplewebauthn/browser";
import type { ActionResult } from "@/lib/actions/result";
import { messages } from "@/lib/messages";
import { formData, type TwoStepAction } from "./types";

/** A refusal in the shape every form shows, for what happened in the browser (no server involved). */
function refused(formError: string): ActionResult<never> {
  return { ok: false, formError };
}

function browserError(err: unknown): ActionResult<never> {
  const name = (err as { name?: string }).name;
  // NotAllowedError: dismissed, timed out, or no passkey chosen; the browser does not say which.
  if (name === "NotAllowedError" || name === "AbortError") return refused(messages.passkeyCancelled);
  if (name === "InvalidStateError") return refused("This device already holds a passkey for your account.");
  return refused(messages.passkeyFailed);
}

/** Options from the server → the browser's passkey prompt → the answer as JSON text for the verifying action. */
export async function registerPasskey(optionsAction: TwoStepAction): Promise<ActionResult<string>> {
  if (!browserSupportsWebAuthn()) return refused(messages.passkeyNotSupported);
  const options = await optionsAction(null, new FormData());
  if (!options.ok) return options;
  try {
    return { ok: true, data: JSON.stringify(await startRegistration({ optionsJSON: options.data })) };
  } catch (err) {
    return browserError(err);
  }
}

/** The reauth ceremony ("Confirm it's you" with a passkey), verified by `verifyAction`. */
export async function confirmWithPasskey(
  optionsAction: TwoStepAction,
  verifyAction: TwoStepAction<undefined>,
): Promise<ActionResult<undefined>> {
  if (!browserSupportsWebAuthn()) return refused(messages.passkeyNotSupported);
  const options = await optionsAction(null, new FormData());
  if (!options.ok) return options;
  let response;
  try {
    response = await startAuthentication({ optionsJSON: options.data });
  } catch (err) {
    return browserError(err);
  }
  return verifyAction(null, formData({ response: JSON.stringify(response) }));
}
