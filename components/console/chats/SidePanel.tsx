"use client";

import { useEffect, useId, useState, type FormEvent } from "react";
import type { SidePanel as Panel } from "@/lib/access/customer-summary";
import type { ActionResult } from "@/lib/actions/result";
import { accessReasons, GRANT_MINUTES, type AccessReason } from "@/lib/access/schema";
import { formatDateTime } from "@/lib/format";
import { US_STATES, normalizeUsPhone } from "@/lib/profile/us";
import { postJson, proposalsOf, type ChatView, type ProposalStatus } from "./types";

export type PanelAction = (prev: unknown, input: Record<string, unknown>) => Promise<ActionResult<Panel>>;

type Props = {
  chat: ChatView;
  showPanel: PanelAction;
  openPanel: PanelAction;
  /** The rep's zone (from their session), so times read as on every other page. */
  timeZone: string;
};

/**
 * Who the customer is. A visitor's panel shows what they typed; a signed-in customer's personal
 * data opens only after the rep states a reason (pre-filled: the chat), which is audited first and
 * shown to the customer in their account activity.
 */
export function SidePanel({ chat, showPanel, openPanel, timeZone }: Props) {
  const [panel, setPanel] = useState<Panel | null>(null);
  const [error, setError] = useState("");

  useEffect(() => {
    let live = true;
    void showPanel(null, { conversationId: chat.id }).then((result) => {
      if (!live) return;
      if (result.ok) {
        setPanel(result.data);
        setError("");
      } else setError(result.formError);
    });
    return () => {
      live = false;
    };
  }, [chat.id, showPanel]);

  return (
    <aside aria-labelledby={`panel-${chat.id}-heading`} className="min-w-0 space-y-4">
      <section className="space-y-2 rounded-md border border-gray-300 p-3">
        <h3 id={`panel-${chat.id}-heading`} className="text-lg font-semibold">
          Customer
        </h3>
        {error && <p className="text-sm text-red-800">{error}</p>}
        {!panel && !error && <p className="text-sm text-gray-700">Loading…</p>}
        {panel?.kind === "visitor" && (
          <>
            <p className="text-sm text-gray-700">Visitor, not signed in. What they typed when starting the chat:</p>
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
              <dt className="font-medium">Name</dt>
              <dd className="break-words">{panel.name || "—"}</dd>
              <dt className="font-medium">E-mail</dt>
              <dd className="break-all">{panel.maskedEmail ?? "—"}</dd>
              <dt className="font-medium">Account no.</dt>
              <dd className="break-all">{panel.accountNumber ?? "—"}</dd>
              <dt className="font-medium">Topic</dt>
              <dd className="break-words">{panel.topic || "—"}</dd>
            </dl>
          </>
        )}
        {panel?.kind === "needsReason" && (
          <ReasonForm chatId={chat.id} openPanel={openPanel} onOpened={(p) => setPanel(p)} />
        )}
        {panel?.kind === "customer" && <CustomerDetails summary={panel.summary} timeZone={timeZone} />}
      </section>
      {panel && panel.kind !== "visitor" && chat.status !== "closed" && <ProposeChange chat={chat} />}
      {panel?.kind === "visitor" && (
        <p className="text-sm text-gray-700">
          Changes can be proposed only to a signed-in customer; ask the visitor to sign in and start a new chat.
        </p>
      )}
    </aside>
  );
}

function CustomerDetails({
  summary,
  timeZone,
}: {
  summary: Extract<Panel, { kind: "customer" }>["summary"];
  timeZone: string;
}) {
  return (
    <>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="font-medium">Name</dt>
        <dd className="break-words">
          {summary.firstName} {summary.lastName}
        </dd>
        <dt className="font-medium">Account no.</dt>
        <dd className="break-all">{summary.accountNumber ?? "—"}</dd>
        <dt className="font-medium">E-mail</dt>
        <dd className="break-all">{summary.maskedEmail ?? "—"}</dd>
        <dt className="font-medium">Phone</dt>
        <dd>{summary.maskedPhone ?? "—"}</dd>
        <dt className="font-medium">Special offers</dt>
        <dd>{summary.offersOptIn ? "Yes" : "No"}</dd>
      </dl>
      <p className="text-xs text-gray-600">
        Access logged; open until {formatDateTime(summary.grantExpiresAt, timeZone)}.
      </p>
      <h4 className="pt-1 font-semibold">Recent account activity</h4>
      {summary.activity.length === 0 ? (
        <p className="text-sm">No activity yet.</p>
      ) : (
        <ul className="space-y-1 text-sm">
          {summary.activity.map((a) => (
            <li key={a.id} className="break-words">
              <time dateTime={new Date(a.when).toISOString()} className="text-gray-600">
                {formatDateTime(a.when, timeZone)}
              </time>{" "}
              {a.what}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function ReasonForm({
  chatId,
  openPanel,
  onOpened,
}: {
  chatId: number;
  openPanel: PanelAction;
  onOpened: (panel: Panel) => void;
}) {
  const ids = useId();
  const [reason, setReason] = useState<AccessReason>("chat");
  const [reasonText, setReasonText] = useState("");
  const [reference, setReference] = useState("");
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [pending, setPending] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setPending(true);
    const result = await openPanel(null, { conversationId: chatId, reason, reasonText, reference });
    setPending(false);
    if (result.ok) onOpened(result.data);
    else
      setErrors({
        form: result.formError,
        reasonText: result.fieldErrors?.reasonText?.[0],
        reference: result.fieldErrors?.reference?.[0],
      });
  }

  return (
    <form onSubmit={(e) => void submit(e)} className="space-y-2" aria-label="Reason for opening the customer's details">
      <p className="text-sm text-gray-700">
        A signed-in customer. Their details open for {GRANT_MINUTES} minutes once you state why; the customer sees this
        in their account activity.
      </p>
      <div className="space-y-1">
        <label htmlFor={`${ids}-reason`} className="block text-sm font-medium">
          Reason
        </label>
        <select
          id={`${ids}-reason`}
          value={reason}
          onChange={(e) => setReason(e.target.value as AccessReason)}
          className="block w-full rounded-md border border-gray-400 bg-white px-2 py-1.5"
        >
          {Object.entries(accessReasons).map(([value, label]) => (
            <option key={value} value={value}>
              {value === "chat" ? `${label} (chat #${chatId})` : label}
            </option>
          ))}
        </select>
      </div>
      {reason === "other" && (
        <TextInput
          id={`${ids}-text`}
          label="Why"
          value={reasonText}
          onChange={setReasonText}
          max={200}
          error={errors.reasonText}
        />
      )}
      {reason === "lawful" && (
        <TextInput
          id={`${ids}-ref`}
          label="Register reference"
          value={reference}
          onChange={setReference}
          max={60}
          error={errors.reference}
        />
      )}
      <p className="min-h-5 text-sm text-red-800" aria-live="polite">
        {errors.form}
      </p>
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
      >
        {pending ? "Opening…" : "Open customer details"}
      </button>
    </form>
  );
}

type Field = "phone" | "address" | "offers";
const fieldNames: Record<Field, string> = {
  phone: "Phone number",
  address: "Service address",
  offers: "Special offers",
};

/** A change the rep proposes; only the customer's one-click approval in the chat applies it. */
function ProposeChange({ chat }: { chat: ChatView }) {
  const ids = useId();
  const [field, setField] = useState<Field>("phone");
  const [values, setValues] = useState({ phone: "", line1: "", line2: "", city: "", state: "", zip: "", optIn: "yes" });
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [status, setStatus] = useState("");
  const [pending, setPending] = useState(false);
  const [withdrawn, setWithdrawn] = useState<Record<number, ProposalStatus>>({});
  const proposals = proposalsOf(chat).map((p) => ({ ...p, status: withdrawn[p.proposalId] ?? p.status }));
  const set = (name: keyof typeof values) => (v: string) => setValues((old) => ({ ...old, [name]: v }));

  function check(): Record<string, string> {
    const found: Record<string, string> = {};
    if (field === "phone" && !normalizeUsPhone(values.phone))
      found.phone = "Enter a US phone number, such as (303) 555-0123";
    if (field === "address") {
      if (!values.line1.trim()) found.line1 = "Enter the street address";
      if (!values.city.trim()) found.city = "Enter the city";
      if (!(values.state in US_STATES)) found.state = "Choose a US state";
      if (!/^\d{5}(-\d{4})?$/.test(values.zip.trim())) found.zip = "Enter a 5-digit ZIP code or ZIP+4 (12345-6789)";
    }
    return found;
  }

  async function propose(e: FormEvent) {
    e.preventDefault();
    const found = check();
    setErrors(found);
    if (Object.keys(found).length) {
      setStatus("");
      return;
    }
    const body =
      field === "phone"
        ? { conversationId: chat.id, field, phone: values.phone.trim() }
        : field === "address"
          ? {
              conversationId: chat.id,
              field,
              line1: values.line1.trim(),
              line2: values.line2.trim(),
              city: values.city.trim(),
              state: values.state,
              zip: values.zip.trim(),
            }
          : { conversationId: chat.id, field, optIn: values.optIn };
    setPending(true);
    const result = await postJson<{ proposalId: number }>("/api/console/chats/proposals", body);
    setPending(false);
    if (result.ok) {
      setStatus("Proposed. The customer sees it in the chat and can approve or decline it.");
      setErrors({});
    } else {
      const fe = result.fieldErrors ?? {};
      setErrors({ form: result.formError, ...Object.fromEntries(Object.entries(fe).map(([k, v]) => [k, v?.[0]])) });
      setStatus("");
    }
  }

  async function withdraw(proposalId: number) {
    const result = await postJson("/api/console/chats/proposals/withdraw", { proposalId });
    if (result.ok) setWithdrawn((old) => ({ ...old, [proposalId]: "withdrawn" }));
    else setStatus(result.formError);
  }

  return (
    <section aria-labelledby={`${ids}-heading`} className="space-y-3 rounded-md border border-gray-300 p-3">
      <h3 id={`${ids}-heading`} className="text-lg font-semibold">
        Propose a change
      </h3>
      <form onSubmit={(e) => void propose(e)} className="space-y-2" aria-label="Propose a change to the customer">
        <fieldset className="space-y-1">
          <legend className="text-sm font-medium">What to change</legend>
          <div className="flex flex-wrap gap-x-4 gap-y-1">
            {(Object.keys(fieldNames) as Field[]).map((f) => (
              <label key={f} className="inline-flex items-center gap-2 text-sm">
                <input type="radio" name={`${ids}-field`} checked={field === f} onChange={() => setField(f)} />
                {fieldNames[f]}
              </label>
            ))}
          </div>
        </fieldset>
        {field === "phone" && (
          <TextInput
            id={`${ids}-phone`}
            label="New phone number"
            value={values.phone}
            onChange={set("phone")}
            max={25}
            error={errors.phone}
            type="tel"
          />
        )}
        {field === "address" && (
          <>
            <TextInput
              id={`${ids}-l1`}
              label="Street address"
              value={values.line1}
              onChange={set("line1")}
              max={100}
              error={errors.line1}
            />
            <TextInput
              id={`${ids}-l2`}
              label="Apartment, suite (optional)"
              value={values.line2}
              onChange={set("line2")}
              max={100}
              error={errors.line2}
            />
            <TextInput
              id={`${ids}-city`}
              label="City"
              value={values.city}
              onChange={set("city")}
              max={60}
              error={errors.city}
            />
            <div className="space-y-1">
              <label htmlFor={`${ids}-state`} className="block text-sm font-medium">
                State
              </label>
              <select
                id={`${ids}-state`}
                value={values.state}
                onChange={(e) => set("state")(e.target.value)}
                aria-invalid={errors.state ? true : undefined}
                aria-describedby={`${ids}-state-error`}
                className="block w-full rounded-md border border-gray-400 bg-white px-2 py-1.5"
              >
                <option value="">Choose a state</option>
                {Object.entries(US_STATES).map(([code, name]) => (
                  <option key={code} value={code}>
                    {name}
                  </option>
                ))}
              </select>
              <p id={`${ids}-state-error`} className="min-h-5 text-sm text-red-800">
                {errors.state}
              </p>
            </div>
            <TextInput
              id={`${ids}-zip`}
              label="ZIP code"
              value={values.zip}
              onChange={set("zip")}
              max={10}
              error={errors.zip}
            />
          </>
        )}
        {field === "offers" && (
          <fieldset className="space-y-1">
            <legend className="text-sm font-medium">Special offers by e-mail</legend>
            {(["yes", "no"] as const).map((v) => (
              <label key={v} className="mr-4 inline-flex items-center gap-2 text-sm">
                <input
                  type="radio"
                  name={`${ids}-optin`}
                  checked={values.optIn === v}
                  onChange={() => set("optIn")(v)}
                />
                {v === "yes" ? "Yes, send them" : "No, stop them"}
              </label>
            ))}
          </fieldset>
        )}
        <div aria-live="polite" className="text-sm">
          {errors.form && <p className="text-red-800">{errors.form}</p>}
          {status && <p className="text-green-800">{status}</p>}
        </div>
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
        >
          {pending ? "Proposing…" : "Propose to customer"}
        </button>
      </form>
      {proposals.length > 0 && (
        <div className="space-y-1">
          <h4 className="font-semibold">Proposed in this chat</h4>
          <ul className="space-y-2 text-sm" aria-live="polite" aria-label="Proposals in this chat">
            {proposals.map((p) => (
              <li
                key={p.proposalId}
                className="flex flex-wrap items-center justify-between gap-2 rounded border border-gray-200 p-2"
              >
                <span className="min-w-0 break-words">
                  {p.summary} — <strong>{statusWords[p.status]}</strong>
                </span>
                {p.status === "pending" && (
                  <button
                    type="button"
                    onClick={() => void withdraw(p.proposalId)}
                    className="rounded-md border border-gray-500 px-2 py-1 text-xs font-semibold hover:bg-gray-100"
                  >
                    Withdraw<span className="sr-only"> {p.summary}</span>
                  </button>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

const statusWords: Record<ProposalStatus, string> = {
  pending: "waiting for the customer",
  approved: "approved",
  declined: "declined",
  withdrawn: "withdrawn",
};

function TextInput({
  id,
  label,
  value,
  onChange,
  max,
  error,
  type = "text",
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  max: number;
  error?: string;
  type?: string;
}) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        type={type}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        maxLength={max}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-error`}
        className={`block w-full rounded-md border px-2 py-1.5 ${error ? "border-red-700" : "border-gray-400"}`}
      />
      <p id={`${id}-error`} className="min-h-5 text-sm text-red-800">
        {error}
      </p>
    </div>
  );
}
