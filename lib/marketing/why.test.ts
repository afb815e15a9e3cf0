import { describe, expect, it } from "vitest";
import { consentSourceEnum } from "@/db/schema";
import { consentLine } from "./why";

const at = new Date("2026-12-01T15:00:00Z");
const line = (source: (typeof consentSourceEnum.enumValues)[number], timeZone = "America/Denver") =>
  consentLine({ topicName: "Special offers", source, optedInAt: at, timeZone });

describe("why did I get this", () => {
  it("why: each consent source has its own wording, naming the topic and the day", () => {
    const expected: Record<(typeof consentSourceEnum.enumValues)[number], string> = {
      account: "You said yes to Special offers on Dec 1, 2026 in your Lumen Telecom MyAccount e-mail preferences.",
      register: "You said yes to Special offers on Dec 1, 2026 when you registered for Lumen Telecom MyAccount.",
      rep: "You said yes to Special offers on Dec 1, 2026 to our customer service, who recorded it for you.",
      chat: "You said yes to Special offers on Dec 1, 2026 in a support chat with Lumen Telecom.",
      resubscribe:
        "You subscribed again to Special offers on Dec 1, 2026, on the page an unsubscribe link in one of our e-mails opened.",
      "email-link": "You said yes to Special offers on Dec 1, 2026 through a link in one of our e-mails.",
      "one-click": "You said yes to Special offers on Dec 1, 2026 with one click on a link in one of our e-mails.",
    };
    // Every value of the enum is covered: a new source added to the schema fails here until worded.
    expect(Object.keys(expected).sort()).toEqual([...consentSourceEnum.enumValues].sort());
    for (const source of consentSourceEnum.enumValues) expect(line(source)).toBe(expected[source]);
  });

  it("why: the day is the one on the recipient's calendar", () => {
    const late = new Date("2026-12-01T03:30:00Z"); // evening of Nov 30 in the US, Dec 1 in UTC
    const of = (timeZone: string) =>
      consentLine({ topicName: "Monthly newsletter", source: "account", optedInAt: late, timeZone });
    expect(of("UTC")).toContain("on Dec 1, 2026");
    expect(of("America/Los_Angeles")).toContain("on Nov 30, 2026");
    expect(of("Pacific/Guam")).toContain("on Dec 1, 2026");
  });
});
