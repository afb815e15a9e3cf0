import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { benchEndpointsEnabled } from "@/lib/env";
import { benchFloorUpdate } from "./actions";

/**
 * The form the benchmark posts to reach its bare server action (bench/run.ts), the same way it
 * posts the Edit Profile forms: a no-JS multipart POST carrying React's `$ACTION_ID_…` field.
 * A `.bench.tsx` page: routed only in the bench's build (MYACCOUNT_BENCH_BUILD=1, see
 * next.config.mjs), so its action is compiled into no other build. Even there it is served only
 * when the server runs with BENCH_ENDPOINTS=1 (which only the bench sets).
 */
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Benchmark floor: action", robots: { index: false } };

export default function BenchFloorActionPage() {
  if (!benchEndpointsEnabled()) notFound();
  return (
    <form action={benchFloorUpdate} aria-label="Benchmark floor action">
      <label>
        User id <input name="id" />
      </label>
      <button type="submit">Update</button>
    </form>
  );
}
