"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/actions/result";
import { formatDateTime } from "@/lib/format";

type Request = {
  id: number;
  requestNumber: string;
  name: string;
  emailMasked: string;
  topic: string;
  excerpt: string;
  createdAt: Date;
  signedIn: boolean;
};
type MarkHandled = (prev: unknown, data: FormData) => Promise<ActionResult<{ id: number; requestNumber: string }>>;

/** Open Contact Us requests, oldest first; "Mark handled" works with JavaScript off too. */
export function ContactRequests({
  requests,
  markHandled,
  timeZone,
}: {
  requests: Request[];
  markHandled: MarkHandled;
  /** The rep's zone (from their session). */
  timeZone: string;
}) {
  if (requests.length === 0) return <p className="text-sm text-gray-700">No open requests.</p>;
  return (
    <ul className="space-y-3" aria-label="Open Contact Us requests">
      {requests.map((r) => (
        <li key={r.id} className="space-y-1 rounded-md border border-gray-300 p-3">
          <p className="font-medium break-words">
            {r.requestNumber} · {r.name}{" "}
            <span className="font-normal text-gray-700">({r.signedIn ? "signed-in customer" : "visitor"})</span>
          </p>
          <p className="text-sm break-all text-gray-700">
            {r.emailMasked} · {formatDateTime(r.createdAt, timeZone)}
          </p>
          <p className="text-sm break-words">
            <span className="font-medium">{r.topic}:</span> {r.excerpt}
          </p>
          <MarkHandledForm request={r} markHandled={markHandled} />
        </li>
      ))}
    </ul>
  );
}

function MarkHandledForm({ request, markHandled }: { request: Request; markHandled: MarkHandled }) {
  const [state, formAction, pending] = useActionState(markHandled, null);
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="id" value={request.id} />
      <button
        type="submit"
        disabled={pending}
        className="rounded-md border border-brand-700 px-3 py-1 text-sm font-semibold text-brand-800 hover:bg-brand-50 disabled:opacity-60"
      >
        {pending ? "Saving…" : "Mark handled"}
        <span className="sr-only"> {request.requestNumber}</span>
      </button>
      <span aria-live="polite" className="text-sm">
        {state &&
          (state.ok ? (
            <span className="text-green-800">{state.message}</span>
          ) : (
            <span className="text-red-800">{state.formError}</span>
          ))}
      </span>
    </form>
  );
}
