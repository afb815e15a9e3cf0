"use client";

import { useState, type MouseEvent } from "react";

const EXPORT_URL = "/account/privacy/export";

/**
 * "Download my data". Without JavaScript it is a plain link to the file. With JavaScript the file
 * is fetched first, so the button can say "Preparing…" and report a failure in words.
 */
export function DownloadDataButton() {
  const [state, setState] = useState<"idle" | "preparing" | "done" | "failed">("idle");

  async function download(event: MouseEvent<HTMLAnchorElement>) {
    event.preventDefault();
    if (state === "preparing") return;
    setState("preparing");
    try {
      const response = await fetch(EXPORT_URL, { cache: "no-store" });
      if (!response.ok) throw new Error(String(response.status));
      const name =
        /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "myaccount-data.json";
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement("a");
      link.href = url;
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setState("done");
    } catch {
      setState("failed");
    }
  }

  return (
    <div className="space-y-2">
      <a
        href={EXPORT_URL}
        onClick={download}
        aria-disabled={state === "preparing"}
        className="inline-block rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700 aria-disabled:opacity-70"
      >
        {state === "preparing" ? "Preparing…" : "Download my data"}
      </a>
      <div role="status" aria-live="polite" className="text-sm">
        {state === "done" && <p className="text-green-900">Your file is ready — check your downloads.</p>}
        {state === "failed" && (
          <p className="text-red-900">We couldn&apos;t prepare your file just now. Please try again.</p>
        )}
      </div>
    </div>
  );
}
