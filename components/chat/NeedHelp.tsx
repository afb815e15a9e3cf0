"use client";

import dynamic from "next/dynamic";
import { usePathname } from "next/navigation";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import type { FormAction } from "@/components/ui/form-hooks";
import type { ContactSubmitted } from "@/lib/contact/schema";
import { readWidgetMemory, writeWidgetMemory } from "./memory";

// The panel (stream, forms, Contact Us) is its own chunk, fetched the first time someone opens it;
// every other page view carries only this button.
const loadPanel = () => import("./ChatPanel");
const ChatPanel = dynamic(() => loadPanel().then((m) => m.ChatPanel), {
  ssr: false,
  loading: () => (
    <div
      role="status"
      className="fixed right-4 bottom-20 z-40 rounded-lg border border-gray-300 bg-white px-4 py-3 text-sm shadow-lg"
    >
      Opening chat…
    </div>
  ),
});

/** Staff console and the mail-landing pages are not customer service's to answer from. */
function isCustomerFacing(pathname: string): boolean {
  return !/^\/(console|u|unsubscribe)(\/|$)/.test(pathname);
}

export type NeedHelpProps = {
  /** `submitContactRequestAction` (app/contact/actions.ts): the panel's inline Contact Us form posts to it. */
  contactAction?: FormAction<ContactSubmitted>;
};

/**
 * The "Need Help" button, fixed bottom-right on every customer-facing page. It lives in the root
 * layout, so the panel it opens (and the conversation in it) stays across client navigations;
 * whether the panel is open is kept in sessionStorage so a reload brings it back.
 */
export function NeedHelp({ contactAction }: NeedHelpProps) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  // Once loaded the panel stays mounted (hidden when closed) so its stream keeps the conversation current.
  const [loaded, setLoaded] = useState(false);
  const [focusOnOpen, setFocusOnOpen] = useState(false);
  const [unread, setUnread] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const unreadId = useId();

  // After a reload: reopen the panel the customer left open, without taking the keyboard.
  useEffect(() => {
    if (readWidgetMemory().open) {
      // eslint-disable-next-line react-hooks/set-state-in-effect -- sessionStorage is only readable after hydration
      setLoaded(true);
      setOpen(true);
    }
  }, []);

  const show = useCallback((next: boolean) => {
    setOpen(next);
    writeWidgetMemory({ open: next });
    if (next) {
      setLoaded(true);
      setFocusOnOpen(true);
      setUnread(false);
    }
  }, []);

  const close = useCallback(() => {
    show(false);
    buttonRef.current?.focus();
  }, [show]);

  const onUnread = useCallback(() => setUnread(true), []);

  if (!isCustomerFacing(pathname)) return null;

  return (
    <>
      {/* Room below the footer, so the fixed button never sits on the page's last lines for good. */}
      <div aria-hidden="true" className="h-20 shrink-0" />
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={loaded ? panelId : undefined}
        aria-describedby={unread && !open ? unreadId : undefined}
        onClick={() => show(!open)}
        onPointerEnter={() => void loadPanel()}
        onFocus={() => void loadPanel()}
        className="fixed right-4 bottom-4 z-40 inline-flex items-center gap-2 rounded-full bg-brand-600 px-4 py-3 font-semibold text-white shadow-lg hover:bg-brand-700"
      >
        <svg
          aria-hidden="true"
          viewBox="0 0 24 24"
          className="h-5 w-5"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
        >
          <path
            strokeLinecap="round"
            strokeLinejoin="round"
            d="M8 10h8M8 14h5m-9 6 2.5-3H18a3 3 0 0 0 3-3V7a3 3 0 0 0-3-3H6a3 3 0 0 0-3 3v7a3 3 0 0 0 1 2.2z"
          />
        </svg>
        Need Help
        {unread && !open && (
          <span className="absolute -top-1 -right-1 h-3.5 w-3.5 rounded-full border-2 border-white bg-red-600">
            <span id={unreadId} className="sr-only">
              New message from customer service
            </span>
          </span>
        )}
      </button>
      {loaded && (
        <ChatPanel
          id={panelId}
          open={open}
          focusOnOpen={focusOnOpen}
          onFocused={() => setFocusOnOpen(false)}
          onClose={close}
          onUnread={onUnread}
          contactAction={contactAction}
        />
      )}
    </>
  );
}
