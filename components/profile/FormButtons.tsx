"use client";

import type { MouseEvent } from "react";
import type { ActionResult, SectionNow } from "@/lib/actions/result";
import { SubmitButton } from "@/components/ui/FormMessage";
import type { LiftedAction } from "@/components/ui/form-hooks";

/**
 * What an Edit Profile section hands its open form: the action's state (kept by the section, so a
 * save's outcome closes the form even when the server renders the answer to a JavaScript-off post)
 * and the ways back to the summary. Each way back is a link to the summary, which JavaScript
 * replaces with closing the form in place.
 */
export type EditorControls = LiftedAction & {
  summaryHref: string;
  onCancel: () => void;
  onKeepSaved: (current: SectionNow) => void;
  /** A change made from inside the open form (resend or cancel an e-mail change) that keeps it open. */
  onData: (data: SectionNow) => void;
};

const linkButton =
  "inline-block rounded-md border border-gray-600 px-4 py-2 font-semibold text-gray-900 hover:bg-gray-100";

function inPlace(handler: () => void) {
  return (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    handler();
  };
}

/** The values stored now, beside the form that keeps what was typed (a save refused as stale). */
export function SavedNow({ current }: { current: SectionNow }) {
  return (
    <div className="space-y-2 rounded-md border border-amber-600 bg-amber-50 p-3" data-testid="saved-now">
      <p className="font-semibold">Saved now</p>
      <dl className="grid gap-x-4 gap-y-1 sm:grid-cols-[max-content_1fr]">
        {current.display.map((item) => (
          <div key={item.label} className="contents">
            <dt className="text-sm text-gray-700">{item.label}</dt>
            <dd className="break-words">{item.value}</dd>
          </div>
        ))}
      </dl>
      <p className="text-sm text-gray-800">
        <strong>Use mine</strong> saves what is in the form instead. <strong>Keep saved</strong> drops your changes.
      </p>
    </div>
  );
}

/** Save (or, after a stale save, "Use mine" and "Keep saved") and Cancel. */
export function FormButtons({
  state,
  pending,
  saveLabel,
  pendingText = "Saving…",
  editor,
}: {
  state: ActionResult<unknown> | null;
  pending: boolean;
  saveLabel: string;
  pendingText?: string;
  editor?: EditorControls;
}) {
  const current = state && !state.ok && state.conflict ? state.current : undefined;
  return (
    <>
      {current && <SavedNow current={current} />}
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton pending={pending} pendingText={pendingText}>
          {current ? "Use mine" : saveLabel}
        </SubmitButton>
        {editor &&
          (current ? (
            <a href={editor.summaryHref} onClick={inPlace(() => editor.onKeepSaved(current))} className={linkButton}>
              Keep saved
            </a>
          ) : (
            <a href={editor.summaryHref} onClick={inPlace(editor.onCancel)} className={linkButton}>
              Cancel
            </a>
          ))}
      </div>
    </>
  );
}
