/**
 * The marketing console's consent charts: axes and legend in words, the period switch (links,
 * ?period=30|90|365), the daily table beside the chart against the database, the keyboard and
 * pointer read-out, the net growth figure, no sideways scrolling on a phone, and axe. Postgres only
 * (the figures are checked against the run's database).
 */
import { expect, test, type Page } from "@playwright/test";
import { storageStateFor } from "./support/auth";
import { expectNoAxeViolations } from "./support/axe";
import { POLICY_VERSION, setConsent, type TopicId } from "./support/preferences";
import { createCustomer, testDb } from "./support/users";
import { describeBucket, formatRange, signed, type Bucket } from "../components/console/marketing/consent-chart-model";

test.use({ storageState: storageStateFor("marketing") });

const OFFERS = "Special offers";
const section = (page: Page) => page.getByRole("region", { name: OFFERS, exact: true });
const plot = (page: Page) => section(page).getByRole("group", { name: /^Special offers: chart of opt-ins/ });
const readout = (page: Page) => section(page).getByTestId("chart-readout");
const tableRows = (page: Page) => section(page).getByTestId("consent-table").locator("tbody tr");

type Day = { day: string; optIns: number; optOuts: number };

/** The ledger's opt-ins and opt-outs for `topic` per UTC day of the last `period` days (active days only). */
async function dbDays(topic: TopicId, period: number): Promise<{ today: string; first: string; days: Day[] }> {
  const db = testDb();
  const { rows: bounds } = await db.query<{ today: string; first: string }>(
    `select to_char((now() at time zone 'utc')::date, 'YYYY-MM-DD') as today,
            to_char((now() at time zone 'utc')::date - ($1::int - 1), 'YYYY-MM-DD') as first`,
    [period],
  );
  const { rows } = await db.query<{ day: string; ins: number; outs: number }>(
    `select to_char((created_at at time zone 'utc')::date, 'YYYY-MM-DD') as day,
            count(*) filter (where action = 'granted')::int as ins,
            count(*) filter (where action = 'withdrawn')::int as outs
       from consent_events
      where topic_id = $1 and created_at >= ($2::date)::timestamp at time zone 'utc'
      group by 1 order by 1`,
    [topic, bounds[0].first],
  );
  return { ...bounds[0], days: rows.map((r) => ({ day: r.day, optIns: r.ins, optOuts: r.outs })) };
}

/** What the page's table says: [day (ISO), opt-ins, opt-outs, net] per row, newest first. */
async function tableFigures(page: Page): Promise<string[][]> {
  return tableRows(page).evaluateAll((rows) =>
    rows.map((r) => [
      r.querySelector("time")?.getAttribute("datetime") ?? "",
      ...[...r.querySelectorAll("td")].map((c) => c.textContent ?? ""),
    ]),
  );
}

/** A ledger event in the past, for a customer of this test (the app only ever writes "now"). */
async function pastEvent(userId: string, action: "granted" | "withdrawn", daysAgo: number) {
  await testDb().query(
    `insert into consent_events (user_id, topic_id, action, source, actor_id, wording, wording_version, policy_version, ip, user_agent, created_at)
     select $1, t.id, $2::consent_action, 'account', $1, t.wording, t.wording_version, $3, '', 'e2e chart',
            ((now() at time zone 'utc')::date - $4::int + interval '12 hours') at time zone 'utc'
       from email_topics t where t.id = 'offers'`,
    [userId, action, POLICY_VERSION, daysAgo],
  );
}

const day = (d: Day) => ({ from: 0, to: 0, firstDay: d.day, lastDay: d.day, optIns: d.optIns, optOuts: d.optOuts });

test.beforeAll(async () => {
  // Someone who said yes 200 days ago, no 50 days ago and yes again today: one event inside each
  // of 30, 90 and 365 days that the shorter periods leave out.
  const user = await createCustomer();
  await pastEvent(user.id, "granted", 200);
  await pastEvent(user.id, "withdrawn", 50);
  await pastEvent(user.id, "withdrawn", 50);
  await setConsent(user.id, ["offers"]);
});

test("marketing chart: labelled axes, a legend in words, and a period switch that works as links (30 / 90 / 365)", async ({
  page,
}) => {
  await page.goto("/console/marketing");
  const periods = page.getByRole("navigation", { name: "Chart period" });
  await expect(periods.getByRole("link")).toHaveText(["30 days", "90 days", "365 days"]);
  await expect(periods.getByRole("link", { name: "90 days" })).toHaveAttribute("aria-current", "page");
  await expect(periods.locator("[aria-current]")).toHaveCount(1);

  const chart = section(page).getByTestId("consent-chart");
  await expect(chart.getByText("People per day")).toBeVisible();
  await expect(chart.getByText("Date (UTC)")).toBeVisible();
  await expect(chart.getByText("Opt-ins: solid bars above the zero line")).toBeVisible();
  await expect(chart.getByText("Opt-outs: hatched bars below it")).toBeVisible();
  // The table lists the days with any change (the seeded ones at least), newest first.
  const rows90 = await tableRows(page).count();
  await expect(section(page).getByTestId("consent-table-note")).toHaveText(
    `Days without any opt-in or opt-out are left out: ${90 - rows90} of 90.`,
  );
  // The value axis starts at 0 and the date axis has labels (the 1st of each month in 90 days).
  const { today, first } = await dbDays("offers", 90);
  await expect(chart.locator("[aria-hidden] span").filter({ hasText: /^0$/ })).toHaveCount(1);
  const firstOfMonth = new Date(`${today.slice(0, 8)}01T00:00:00Z`).toLocaleDateString("en-US", {
    month: "short",
    day: "numeric",
    timeZone: "UTC",
  });
  await expect(chart.getByText(firstOfMonth, { exact: true })).toBeVisible();
  await expect(section(page).getByRole("figure")).toHaveAccessibleName(
    // (Accessible names come with their white space collapsed: the range's thin spaces too.)
    new RegExp(
      `^Special offers, last 90 days \\(${escape(formatRange(first, today)).replace(/\s+/g, "\\s+")}, dates in UTC\\): `,
    ),
  );

  // 365 days: more rows, weekly bars, and the link is now the current one. No JavaScript needed:
  // these are links, so the same address works typed in.
  await periods.getByRole("link", { name: "365 days" }).click();
  await expect(page).toHaveURL(/\/console\/marketing\?period=365$/);
  await expect(periods.getByRole("link", { name: "365 days" })).toHaveAttribute("aria-current", "page");
  await expect(periods.locator("[aria-current]")).toHaveCount(1);
  await expect(section(page).getByTestId("consent-table-note")).toHaveText(/ of 365\.$/);
  // The opt-in 200 days ago is in the year's table only.
  expect(await tableRows(page).count()).toBeGreaterThan(rows90);
  await expect(chart.getByText("People per week")).toBeVisible();
  await expect(chart.getByTestId("chart-bar")).toHaveCount(53);
  await expect(section(page).getByText(/^Special offers, last 365 days/)).toBeVisible();

  await periods.getByRole("link", { name: "30 days" }).click();
  await expect(page).toHaveURL(/\?period=30$/);
  await expect(section(page).getByTestId("consent-table-note")).toHaveText(/ of 30\.$/);
  await expect(chart.getByTestId("chart-bar")).toHaveCount(30);
  // The opt-outs 50 days ago are in 90 days but not in 30.
  expect(await tableRows(page).count()).toBeLessThan(rows90);
  const d30 = await dbDays("offers", 30);
  const rows = await tableFigures(page);
  expect(rows.every(([day]) => day >= d30.first && day <= d30.today)).toBe(true);

  // Anything but 30, 90 or 365 shows 90 days.
  for (const bad of ["7", "abc", "365x"]) {
    await page.goto(`/console/marketing?period=${bad}`);
    await expect(periods.getByRole("link", { name: "90 days" })).toHaveAttribute("aria-current", "page");
    await expect(section(page).getByTestId("consent-table-note")).toHaveText(/ of 90\.$/);
  }
});

test("marketing chart: the daily table and the net growth figure match the ledger for each period", async ({
  page,
}) => {
  for (const period of [30, 90, 365]) {
    // Other specs opt people in and out today: compare until one read agrees.
    await expect(async () => {
      await page.goto(`/console/marketing?period=${period}`);
      const db = await dbDays("offers", period);
      const table = await tableFigures(page);
      expect(table).toEqual(
        db.days.toReversed().map((d) => [d.day, String(d.optIns), String(d.optOuts), signed(d.optIns - d.optOuts)]),
      );
      await expect(section(page).getByTestId("consent-table-note")).toHaveText(
        `Days without any opt-in or opt-out are left out: ${period - db.days.length} of ${period}.`,
        { timeout: 500 },
      );
      const net = db.days.reduce((n, d) => n + d.optIns - d.optOuts, 0);
      await expect(page.getByTestId("net-offers")).toHaveText(signed(net), { timeout: 500 });
      const ins = db.days.reduce((n, d) => n + d.optIns, 0);
      const outs = db.days.reduce((n, d) => n + d.optOuts, 0);
      await expect(section(page).getByRole("figure")).toHaveAccessibleName(
        `Special offers, last ${period} days (${formatRange(db.first, db.today)}, dates in UTC): ${ins.toLocaleString("en-US")} opt-ins and ${outs.toLocaleString("en-US")} opt-outs, net growth ${signed(net)}.`,
        { timeout: 500 },
      );
    }).toPass({ timeout: 20_000 });
  }
  // The seeded events are in: 200 days ago only in 365, 50 days ago in 90 and 365, not in 30.
  const d365 = await dbDays("offers", 365);
  const d30 = await dbDays("offers", 30);
  const ago = (n: number) =>
    new Date(Date.parse(`${d365.today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
  expect(d365.days.find((d) => d.day === ago(50))?.optOuts).toBeGreaterThanOrEqual(2);
  expect(d365.days.find((d) => d.day === ago(200))?.optIns).toBeGreaterThanOrEqual(1);
  expect(d30.days.find((d) => d.day === ago(50))).toBeUndefined();
});

test("marketing chart: one tab stop; arrow keys and the pointer read out a day's figures", async ({ page }) => {
  await page.goto("/console/marketing?period=90");
  const { today, days } = await dbDays("offers", 90);
  const figures = (iso: string): Day => days.find((d) => d.day === iso) ?? { day: iso, optIns: 0, optOuts: 0 };
  const ago = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
  await expect(readout(page)).toHaveText(/^Point at a bar, or focus the chart and use the arrow keys/);

  // Tab from the period switch's last link goes to the offers chart: the bars are not tab stops.
  await page.getByRole("navigation", { name: "Chart period" }).getByRole("link", { name: "365 days" }).focus();
  await page.keyboard.press("Tab");
  await expect(plot(page)).toBeFocused();
  // Focus picks today; ← steps back a day; Home jumps to the first day. Other specs opt people in
  // today while this runs, so today's figures are the ones this page's table shows (the table is
  // checked against the ledger above); earlier days hold only this spec's events and are read from it.
  const onPage = async (iso: string): Promise<Day> => {
    const row = (await tableFigures(page)).find(([d]) => d === iso);
    return { day: iso, optIns: Number(row?.[1] ?? 0), optOuts: Number(row?.[2] ?? 0) };
  };
  await expect(readout(page)).toHaveText(describeBucket(day(await onPage(today)), "day"));
  await page.keyboard.press("ArrowLeft");
  await expect(readout(page)).toHaveText(describeBucket(day(figures(ago(1))), "day"));
  await page.keyboard.press("Home");
  await expect(readout(page)).toHaveText(describeBucket(day(figures(ago(89))), "day"));
  await page.keyboard.press("PageDown");
  await expect(readout(page)).toHaveText(describeBucket(day(figures(ago(82))), "day"));
  // The read-out is a live region: screen readers hear it too.
  await expect(readout(page)).toHaveAttribute("aria-live", "polite");

  // Pointing at the bar 50 days ago (index 39 of 90) reads that day: the seeded opt-outs.
  const box = (await plot(page).boundingBox())!;
  await page.mouse.move(box.x + ((39 + 0.5) / 90) * box.width, box.y + box.height * 0.75);
  const fifty = figures(ago(50));
  expect(fifty.optOuts).toBeGreaterThanOrEqual(2);
  await expect(readout(page)).toHaveText(describeBucket(day(fifty), "day"));
  // Without JavaScript the same words are each bar's tooltip.
  await expect(section(page).getByTestId("chart-bar").nth(39).locator("title")).toHaveText(
    describeBucket(day(fifty), "day"),
  );

  // 365 days: bars are weeks ending today, and End reads the latest one.
  await page.goto("/console/marketing?period=365");
  const week = await Promise.all([6, 5, 4, 3, 2, 1, 0].map((n) => onPage(ago(n))));
  const bucket: Bucket = {
    from: 358,
    to: 364,
    firstDay: ago(6),
    lastDay: today,
    optIns: week.reduce((n, d) => n + d.optIns, 0),
    optOuts: week.reduce((n, d) => n + d.optOuts, 0),
  };
  await plot(page).focus();
  await page.keyboard.press("Home");
  await page.keyboard.press("End");
  await expect(readout(page)).toHaveText(describeBucket(bucket, "week"));
});

test("marketing chart: no sideways scrolling at 390 px at any period, and no axe violations", async ({ page }) => {
  // Two full-page scans (each takes a while on a busy machine): 30 days wide, 365 days on a phone.
  test.setTimeout(180_000);
  for (const period of [30, 90, 365]) {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`/console/marketing?period=${period}`);
      await expect(section(page).getByTestId("consent-table-note")).toHaveText(new RegExp(` of ${period}\\.$`));
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${period} days at ${width} px`).toBeLessThanOrEqual(0);
      if ((period === 30 && width === 1280) || (period === 365 && width === 390)) await expectNoAxeViolations(page);
    }
  }
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
