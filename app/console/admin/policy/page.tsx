import type { Metadata } from "next";
import Link from "next/link";
import { ActionButton, DraftForm, PublishForm } from "@/components/console/policy/PolicyForms";
import { proseClasses } from "@/components/policy/PolicyDocument";
import { PolicyDiff } from "@/components/policy/PolicyDiff";
import { requirePageUser } from "@/lib/auth/current";
import { formatDate, formatDateTime } from "@/lib/format";
import { policyAdminView } from "@/lib/policy/admin";
import { lineDiff } from "@/lib/policy/diff";
import { renderPolicy } from "@/lib/policy/render";
import { publishPolicyAction, savePolicyDraftAction, startPolicyDraftAction, withdrawPolicyAction } from "./actions";

export const metadata: Metadata = { title: "Privacy policy versions" };

const box = "space-y-3 rounded-lg border border-gray-300 p-4 sm:p-5";

export default async function PolicyAdminPage() {
  const session = await requirePageUser("admin.policy", "/console/admin/policy");
  const view = await policyAdminView();
  const { current, upcoming, draft } = view;
  const preview = draft ? renderPolicy({ id: draft.id, markdown: draft.markdown, published: false }) : null;
  return (
    <div className="space-y-8">
      <div className="space-y-1">
        <p>
          <Link href="/console" className="text-brand-700 underline">
            Staff console
          </Link>
        </p>
        <h1 className="text-2xl font-bold">Privacy policy versions</h1>
        <p className="text-gray-700">
          In force: version {current?.version ?? "none"}
          {current && ` (since ${formatDate(current.effectiveAt)})`}.{" "}
          <Link href="/privacy/versions" className="text-brand-700 underline">
            All published versions
          </Link>
        </p>
      </div>

      {upcoming && (
        <section aria-labelledby="upcoming-heading" className={box}>
          <h2 id="upcoming-heading" className="text-xl font-semibold">
            Upcoming: version {upcoming.version}
          </h2>
          <p>
            Takes effect on {formatDate(upcoming.effectiveAt)}; published{" "}
            {formatDateTime(upcoming.publishedAt, session.timeZone)}.{" "}
            {upcoming.material ? "Material change." : "Not a material change."}{" "}
            <Link href="/privacy/changes" className="text-brand-700 underline">
              What customers see
            </Link>
          </p>
          {upcoming.material && (
            <p>
              Notice mails: <strong>{upcoming.noticeQueued}</strong> of <strong>{upcoming.noticeTotal}</strong> queued
              {upcoming.noticeDone ? " — done" : " — in progress (reload to update)"}.
            </p>
          )}
          <ActionButton
            id="withdraw"
            action={withdrawPolicyAction}
            fields={{ id: String(upcoming.id) }}
            label="Withdraw before it takes effect"
            pendingLabel="Withdrawing…"
          />
        </section>
      )}

      {!draft ? (
        <section aria-labelledby="draft-heading" className={box}>
          <h2 id="draft-heading" className="text-xl font-semibold">
            New version
          </h2>
          <p className="text-gray-700">A draft starts as a copy of the text in force.</p>
          <ActionButton
            id="start"
            action={startPolicyDraftAction}
            fields={{}}
            label="Start a new draft"
            pendingLabel="Starting…"
          />
        </section>
      ) : (
        <>
          <section aria-labelledby="draft-heading" className={box}>
            <h2 id="draft-heading" className="text-xl font-semibold">
              Draft
            </h2>
            <p className="text-sm text-gray-700">Last saved {formatDateTime(draft.updatedAt, session.timeZone)}.</p>
            <DraftForm
              action={savePolicyDraftAction}
              initial={{
                id: String(draft.id),
                rowVersion: String(draft.rowVersion),
                markdown: draft.markdown,
                summary: draft.summary,
                material: draft.material ? "on" : "",
              }}
            />
          </section>
          <section aria-labelledby="diff-heading" className={box}>
            <h2 id="diff-heading" className="text-xl font-semibold">
              Saved draft compared with the version in force
            </h2>
            <PolicyDiff
              lines={lineDiff(view.currentMarkdown, draft.markdown)}
              label="Draft compared with the policy in force"
            />
          </section>
          <section aria-labelledby="preview-heading" className={box}>
            <h2 id="preview-heading" className="text-xl font-semibold">
              Preview of the saved draft
            </h2>
            <div
              className="max-h-[32rem] overflow-y-auto rounded-md border border-gray-200 p-3"
              tabIndex={0}
              role="region"
              aria-label="Preview"
            >
              <div className={proseClasses} dangerouslySetInnerHTML={{ __html: preview!.html }} />
            </div>
          </section>
          <section aria-labelledby="publish-heading" className={box}>
            <h2 id="publish-heading" className="text-xl font-semibold">
              Publish
            </h2>
            <PublishForm
              action={publishPolicyAction}
              id={draft.id}
              rowVersion={draft.rowVersion}
              min={draft.material ? view.earliestMaterial : view.today}
              hint={
                draft.material
                  ? `A material change needs 30 days' notice: the earliest date is ${view.earliestMaterial}. Every customer is sent one notice e-mail.`
                  : `Not marked material: it may take effect from today (${view.today}). Publishes what was last saved.`
              }
            />
          </section>
        </>
      )}
    </div>
  );
}
