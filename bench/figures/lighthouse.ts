/**
 * Part 6: Lighthouse (its CLI, the pinned devDependency) on /privacy, /login and /account against
 * the bench's own server: performance and accessibility scores, with the failing accessibility
 * audits named, so a regression says where to look.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { target } from "../lib/http";
import { log } from "../lib/log";
import { state } from "../lib/server";
import { CHROME_PATH, GOAL } from "../lib/settings";
import { f0, table } from "../lib/table";

type Audit = {
  id: string;
  title: string;
  score: number | null;
  numericValue?: number;
  displayValue?: string;
  details?: { items?: { url?: string; total?: number }[] };
};
type Report = {
  lighthouseVersion: string;
  requestedUrl?: string;
  finalDisplayedUrl?: string;
  environment?: { benchmarkIndex?: number };
  runtimeError?: { code: string; message: string };
  runWarnings?: string[];
  categories: Record<string, { score: number | null; auditRefs: { id: string; weight: number }[] }>;
  audits: Record<string, Audit>;
};

export type LighthouseRow = {
  label: string;
  performance: number | null;
  accessibility: number | null;
  /** Performance metrics worth printing beside the score. */
  metrics: Record<string, string>;
  /** Weighted accessibility audits that did not pass: "id (title)". */
  failing: string[];
  /** Where a low performance score's blocking time comes from: main-thread time, heaviest scripts. */
  mainThread?: string;
  topScripts?: string[];
  error?: string;
  version?: string;
  benchmarkIndex?: number;
};

// The certificate is the bench server's self-signed one; Debian's chromium runs as this user
// without a sandbox here.
const CHROME_FLAGS = "--headless=new --no-sandbox --ignore-certificate-errors";
const METRICS: [string, string][] = [
  ["first-contentful-paint", "FCP"],
  ["largest-contentful-paint", "LCP"],
  ["total-blocking-time", "TBT"],
  ["cumulative-layout-shift", "CLS"],
];

function runLighthouse(url: string, headers: Record<string, string>, outFile: string): Promise<string> {
  const cli = path.resolve("node_modules/lighthouse/cli/index.js");
  const args = [
    cli,
    url,
    "--only-categories=performance,accessibility",
    "--output=json",
    `--output-path=${outFile}`,
    `--chrome-flags=${CHROME_FLAGS}`,
    "--quiet",
  ];
  if (Object.keys(headers).length) args.push(`--extra-headers=${JSON.stringify(headers)}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      env: { ...process.env, CHROME_PATH },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve(code === 0 ? "" : `lighthouse exit ${code}: ${stderr.trim().slice(-400)}`));
  });
}

function rowOf(label: string, report: Report): LighthouseRow {
  const score = (c: string) => {
    const s = report.categories[c]?.score;
    return typeof s === "number" ? Math.round(s * 100) : null;
  };
  const failing = (report.categories.accessibility?.auditRefs ?? [])
    .filter((r) => r.weight > 0)
    .map((r) => report.audits[r.id])
    .filter((a) => a && a.score !== null && a.score < 1)
    .map((a) => `${a.id} (${a.title})`);
  const metrics: Record<string, string> = {};
  for (const [id, short] of METRICS) metrics[short] = report.audits[id]?.displayValue ?? "–";
  const topScripts = (report.audits["bootup-time"]?.details?.items ?? [])
    .slice(0, 3)
    .map((i) => `${(i.url ?? "?").split("/").pop()} ${Math.round(i.total ?? 0)} ms`);
  return {
    label,
    mainThread: report.audits["mainthread-work-breakdown"]?.displayValue,
    topScripts,
    performance: score("performance"),
    accessibility: score("accessibility"),
    metrics,
    failing,
    // A redirect (to /login, say, had the cookie not been sent) would score the wrong page.
    error: report.runtimeError
      ? `${report.runtimeError.code}: ${report.runtimeError.message}`
      : report.finalDisplayedUrl !== report.requestedUrl
        ? `scored ${report.finalDisplayedUrl}, not ${report.requestedUrl}`
        : undefined,
    version: report.lighthouseVersion,
    benchmarkIndex: report.environment?.benchmarkIndex,
  };
}

/** One Lighthouse run per page, one after another (each launches its own headless Chromium). */
export async function measureLighthouse(demoCookie: string): Promise<LighthouseRow[]> {
  const pages: [string, string, Record<string, string>][] = [
    ["/privacy (signed out)", "/privacy", {}],
    ["/login (signed out)", "/login", {}],
    ["/account (signed in as demo)", "/account", { Cookie: demoCookie }],
  ];
  const rows: LighthouseRow[] = [];
  for (const [i, [label, urlPath, headers]] of pages.entries()) {
    log(`lighthouse: ${urlPath} (${CHROME_PATH})`);
    const outFile = path.join(state.tmp!, `lighthouse-${i}.json`);
    const error = await runLighthouse(`${target.origin}${urlPath}`, headers, outFile);
    if (error) {
      rows.push({ label, performance: null, accessibility: null, metrics: {}, failing: [], error });
      continue;
    }
    rows.push(rowOf(label, JSON.parse(readFileSync(outFile, "utf8")) as Report));
  }
  return rows;
}

export function reportLighthouse(rows: LighthouseRow[]) {
  const first = rows.find((r) => r.version);
  console.log("");
  console.log(
    `6) Lighthouse ${first?.version ?? ""} (default mobile settings, simulated throttling; headless Chromium at ${CHROME_PATH})${first?.benchmarkIndex ? `, this machine's benchmark index ${f0(first.benchmarkIndex)}` : ""}`,
  );
  const score = (s: number | null) => (s === null ? "–" : String(s));
  table(
    ["page", "performance", "accessibility", ...METRICS.map(([, short]) => short)],
    rows.map((r) => [
      r.label,
      score(r.performance),
      score(r.accessibility),
      ...METRICS.map(([, short]) => r.metrics[short] ?? "–"),
    ]),
  );
  console.log(
    `  goals: performance ≥ ${GOAL.lighthousePerformance}, accessibility ${GOAL.lighthouseAccessibility}. The performance score depends on this machine's load during the run; accessibility does not.`,
  );
  for (const r of rows) {
    if (r.error) console.log(`  ${r.label}: ${r.error}`);
    if (r.failing.length) console.log(`  ${r.label}: accessibility audits failing: ${r.failing.join("; ")}`);
    if (r.performance !== null && r.performance < GOAL.lighthousePerformance && r.mainThread)
      console.log(
        `  ${r.label}: main-thread work ${r.mainThread} (throttled); by script: ${r.topScripts?.join(", ") || "–"}`,
      );
  }
}
