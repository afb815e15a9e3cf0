"use client";

import { messages } from "@/lib/messages";

export default function GlobalError() {
  return (
    <html lang="en">
      <body>
        <main
          style={{ fontFamily: "system-ui, sans-serif", maxWidth: "40rem", margin: "4rem auto", padding: "0 1rem" }}
        >
          <h1>Something went wrong</h1>
          <p role="status">{messages.outage}.</p>
          <p>
            {/* A full document load on purpose: this replaces the root layout, so the client router is
                not to be trusted, and a <Link> to the page already shown would not clear the error. */}
            {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
            <a href="/">Try again</a>
          </p>
        </main>
      </body>
    </html>
  );
}
