"use client";

import dynamic from "next/dynamic";
import { useActionState, useEffect, useRef, useState, type ComponentType, type MouseEvent } from "react";
import type { ActionResult, SectionNow } from "@/lib/actions/result";
import type { FormAction } from "@/components/ui/form-hooks";
import type { EditorControls } from "./FormButtons";

/** What every section form takes: its action, its starting values, more actions, the section's controls. */
export type SectionFormProps = {
  action: FormAction<unknown>;
  // Each form knows its own starting values' shape (lib/profile/display.ts).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  initial: any;
  more?: Record<string, FormAction<unknown>>;
  editor?: EditorControls;
};

// Each form is its own chunk, loaded (and rendered, on the server too) only when its section is open.
const forms: Record<string, ComponentType<SectionFormProps>> = {
  name: dynamic(() => import("./NameForm").then((m) => m.NameForm)),
  addresses: dynamic(() => import("./AddressForm").then((m) => m.AddressForm)),
  phone: dynamic(() => import("./PhoneForm").then((m) => m.PhoneForm)),
  email: dynamic(() => import("./EmailSection").then((m) => m.EmailSection)),
  payment: dynamic(() => import("./PaymentForm").then((m) => m.PaymentForm)),
  "payment-remove": dynamic(() => import("./PaymentRemoveForm").then((m) => m.PaymentRemoveForm)),
  preferences: dynamic(() => import("./PreferencesForm").then((m) => m.PreferencesForm)),
  "time-zone": dynamic(() => import("./TimeZoneForm").then((m) => m.TimeZoneForm)),
};

type Mode = "edit" | "remove";
type State = ActionResult<unknown> | null;

function savedData(state: State): SectionNow | null {
  return state?.ok ? ((state.data as SectionNow | undefined) ?? null) : null;
}

const FOCUSABLE = "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea, button:not([disabled])";

/**
 * One Edit Profile section: its summary (read-only lines and an "Edit" link), or its form. The
 * "Edit" link (`?edit=phone#phone`) opens the form with the server's help when JavaScript is off;
 * with it, the form opens in place and takes the focus. A save's result carries the section's new
 * lines and starting values, so the section closes on them and announces the save; the page is
 * not rendered again.
 */
export function EditableSection({
  id,
  label,
  action,
  removeAction,
  more,
  data: loaded,
  open: initiallyOpen,
  again,
}: {
  id: string;
  /** "phone number": "Edit phone number", "Phone number saved". */
  label: string;
  action: FormAction<unknown>;
  removeAction?: FormAction<unknown>;
  more?: Record<string, FormAction<unknown>>;
  data: SectionNow;
  open: Mode | null;
  /**
   * Set when this page is the answer to this section's own JavaScript-off post (its URL still says
   * `?edit=<id>`): "Edit" must then link to a different URL, or the browser would only scroll.
   */
  again?: number;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  const [removeState, removeFormAction, removing] = useActionState(removeAction ?? action, null);
  const answered = savedData(state) ?? savedData(removeState);
  const [data, setData] = useState<SectionNow>(answered ?? loaded);
  const [mode, setMode] = useState<Mode | null>(answered ? null : initiallyOpen);
  const [announce, setAnnounce] = useState(() =>
    state?.ok ? state.message : removeState?.ok ? removeState.message : "",
  );
  // The outcomes this opening of the form started from: an older one is not the form's to show.
  const [openedWith, setOpenedWith] = useState<{ state: State; removeState: State }>({
    state: null,
    removeState: null,
  });
  const [seen, setSeen] = useState({ state, removeState });
  const editLink = useRef<HTMLAnchorElement>(null);
  const formBox = useRef<HTMLDivElement>(null);

  // A save (or a removal) succeeded: close on the values it returned.
  if (seen.state !== state || seen.removeState !== removeState) {
    setSeen({ state, removeState });
    const fresh = state !== seen.state ? state : removeState;
    if (fresh?.ok) {
      setData(savedData(fresh) ?? data);
      setMode(null);
      setAnnounce(fresh.message ?? `${label[0].toUpperCase()}${label.slice(1)} saved.`);
    }
  }

  // Focus follows the section: into the form when it opens, back to "Edit" when it closes.
  const shownMode = useRef(mode);
  useEffect(() => {
    const was = shownMode.current;
    shownMode.current = mode;
    if (was === mode) return;
    if (!mode) {
      editLink.current?.focus();
      return;
    }
    // The form's chunk may still be loading: try again on the next frames until it is there.
    let frame = 0;
    let tries = 0;
    const attempt = () => {
      const target = formBox.current?.querySelector<HTMLElement>(FOCUSABLE);
      if (target) target.focus();
      else if (tries++ < 120) frame = requestAnimationFrame(attempt);
    };
    attempt();
    return () => cancelAnimationFrame(frame);
  }, [mode]);

  const summaryHref = `/account/profile#${id}`;
  const editHref = (name: string) => `/account/profile?edit=${name}${again ? `&again=${again}` : ""}#${id}`;
  const open = (next: Mode) => (event: MouseEvent) => {
    event.preventDefault();
    setOpenedWith({ state, removeState });
    setAnnounce("");
    setMode(next);
  };
  const close = (message: string) => {
    setMode(null);
    setAnnounce(message);
  };

  let body;
  if (mode) {
    const removing_ = mode === "remove";
    const Form = forms[removing_ ? `${id}-remove` : id];
    const editor: EditorControls = {
      state: removing_
        ? removeState === openedWith.removeState
          ? null
          : removeState
        : state === openedWith.state
          ? null
          : state,
      formAction: removing_ ? removeFormAction : formAction,
      pending: removing_ ? removing : pending,
      summaryHref,
      onCancel: () => close(""),
      onKeepSaved: (current) => {
        setData(current);
        close(`Kept the saved ${label}.`);
      },
      onData: setData,
    };
    body = <Form action={removing_ ? removeAction! : action} initial={data.initial} more={more} editor={editor} />;
  } else {
    body = (
      <div className="space-y-3">
        <dl className="grid gap-x-6 gap-y-1 sm:grid-cols-[max-content_1fr]" data-testid={`${id}-summary`}>
          {data.display.map((item) => (
            <div key={item.label} className="contents">
              <dt className="text-sm text-gray-700 sm:text-base">{item.label}</dt>
              <dd className="font-medium break-words">{item.value}</dd>
            </div>
          ))}
        </dl>
        <div className="flex flex-wrap gap-4">
          <a
            ref={editLink}
            href={editHref(id)}
            onClick={open("edit")}
            className="font-semibold text-brand-700 underline"
          >
            Edit<span className="sr-only"> {label}</span>
          </a>
          {/* "Remove" while there is something on file (the payment method). */}
          {removeAction && Boolean((data.initial as { onFile?: unknown }).onFile) && (
            <a
              href={editHref(`${id}-remove`)}
              onClick={open("remove")}
              className="font-semibold text-red-800 underline"
            >
              Remove<span className="sr-only"> {label}</span>
            </a>
          )}
        </div>
      </div>
    );
  }
  // One live region, present in both states, so the save is announced when the summary returns.
  return (
    <div ref={formBox} className="space-y-3">
      {body}
      <p role="status" aria-live="polite" id={`${id}-announce`} className="text-sm text-green-900 empty:hidden">
        {announce}
      </p>
    </div>
  );
}
