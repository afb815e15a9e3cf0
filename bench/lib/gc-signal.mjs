/**
 * Preloaded (with --expose-gc) into the two processes whose memory the chat bench compares: the
 * app instance holding the idle streams and the bare SSE endpoint. RSS read right after a burst
 * of connections also counts garbage not yet collected, which would be charged to whichever
 * process happened not to collect yet; on SIGUSR2 this runs full collections and writes
 * process.memoryUsage() to BENCH_GC_REPORT, so both are read in the same collected state.
 */
import { writeFileSync } from "node:fs";

const report = process.env.BENCH_GC_REPORT;
const gc = /** @type {(() => void) | undefined} */ (globalThis.gc);
if (report && typeof gc === "function") {
  process.on("SIGUSR2", () => {
    // Short-lived garbage well past the young generation's size (both semi-spaces, pinned by the
    // bench's flags), so all of it is resident at every reading, not more of it at each one.
    const ring = new Array(64);
    for (let i = 0; i < 1_000_000; i++) ring[i & 63] = { i, a: [i, i, i, i, i, i] };
    // The second pass frees what the first one's finalizers released.
    gc();
    gc();
    writeFileSync(report, JSON.stringify(process.memoryUsage()));
  });
}
