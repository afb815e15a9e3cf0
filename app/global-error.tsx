"use client";

import { OUTAGE_MESSAGE } from "@/db/outage";

export default function GlobalError() {
  return (
    <html lang="en">
      <body>
        <main
          style={{ fontFamily: "system-ui, sans-serif", maxWidth: "40rem", margin: "4rem auto", padding: "0 1rem" }}
        >
          <h1>Something went wrong</h1>
          <p role="status">{OUTAGE_MESSAGE}.</p>
          <p>
            <a href="/">Try again</a>
          </p>
        </main>
      </body>
    </html>
  );
}
