import type { ActionResult } from "@/lib/actions/result";

/**
 * The form-level outcome, announced by screen readers. It has its own id because Next's route
 * announcer also uses role="alert".
 */
export function FormMessage({
  id,
  state,
  success,
}: {
  id: string;
  state: ActionResult<unknown> | null;
  success?: string;
}) {
  const text = state ? (state.ok ? (state.message ?? success) : state.formError) : undefined;
  const tone = state?.ok ? "border-green-700 bg-green-50 text-green-900" : "border-red-700 bg-red-50 text-red-900";
  return (
    <div id={id} aria-live="polite" role="status" className="min-h-0">
      {text && <p className={`rounded-md border px-3 py-2 text-sm ${tone}`}>{text}</p>}
    </div>
  );
}

export function SubmitButton({
  pending,
  children,
  pendingText,
}: {
  pending: boolean;
  children: string;
  pendingText: string;
}) {
  return (
    <button
      type="submit"
      disabled={pending}
      aria-disabled={pending}
      className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700 disabled:opacity-70"
    >
      {pending ? pendingText : children}
    </button>
  );
}
