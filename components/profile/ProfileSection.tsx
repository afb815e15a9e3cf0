import type { ReactNode } from "react";

/** One Edit Profile section: a heading, why we ask (linked to the policy), and its own form. */
export function ProfileSection({
  id,
  title,
  why,
  whyHref,
  children,
}: {
  id: string;
  title: string;
  why: string;
  whyHref: string;
  children: ReactNode;
}) {
  return (
    <section id={id} aria-labelledby={`${id}-heading`} className="space-y-3 rounded-lg border border-gray-300 p-5">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={`${id}-heading`} className="text-xl font-semibold">
          {title}
        </h2>
        <a href={whyHref} className="text-sm text-brand-700 underline">
          Why we ask<span className="sr-only"> for your {title.toLowerCase()}</span>
        </a>
      </div>
      <p className="text-sm text-gray-700">{why}</p>
      {children}
    </section>
  );
}
