"use client";

import { messages } from "@/lib/messages";

// Rendered for any failure under the root layout. Errors from server components reach the client
// without their message in production, so the wording does not depend on it; server.ts turns the
// status into 503 when the failure was a database outage.
export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Something went wrong</h1>
      <p role="status">{messages.outage}.</p>
      <button type="button" onClick={reset} className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white">
        Try again
      </button>
    </div>
  );
}
