import Link from "next/link";
import type { ReactNode } from "react";
import type { Heading } from "@/lib/markdown/render";

/**
 * The policy's rendered HTML (from lib/markdown: raw HTML in the source is escaped, so this is
 * safe to inject) styled through the wrapper, since Markdown carries no classes.
 */
export const proseClasses =
  "max-w-prose break-words text-gray-900 [&_a]:text-brand-700 [&_a]:underline [&_h2]:mt-8 [&_h2]:scroll-mt-4 [&_h2]:text-xl [&_h2]:font-semibold [&_h3]:mt-5 [&_h3]:text-lg [&_h3]:font-semibold [&_li]:mt-1 [&_ol]:mt-3 [&_ol]:list-decimal [&_ol]:pl-6 [&_p]:mt-3 [&_ul]:mt-3 [&_ul]:list-disc [&_ul]:pl-6 print:[&_a]:text-black print:[&_h2]:break-after-avoid";

export function PolicyDocument({
  title,
  version,
  effective,
  html,
  headings,
  status,
}: {
  title: string;
  version: string;
  effective: string;
  html: string;
  headings: Heading[];
  /** A line above the text for a version not in force (earlier, or not yet). */
  status?: ReactNode;
}) {
  const sections = headings.filter((h) => h.level === 2);
  return (
    <article className="space-y-6 print:space-y-4">
      <header className="space-y-2">
        <h1 className="text-2xl font-bold">{title}</h1>
        <p className="text-gray-700">
          Version {version} · Effective {effective}
          <span className="print:hidden">
            {" · "}
            <Link href="/privacy/versions" className="text-brand-700 underline">
              All versions
            </Link>
          </span>
        </p>
        {status}
      </header>
      <nav
        aria-labelledby="toc-heading"
        className="max-w-prose rounded-lg border border-gray-300 p-4 print:border-0 print:p-0"
      >
        <h2 id="toc-heading" className="text-lg font-semibold">
          Contents
        </h2>
        <ol className="mt-2 list-decimal space-y-1 pl-6">
          {sections.map((s) => (
            <li key={s.id}>
              <a className="text-brand-700 underline print:text-black print:no-underline" href={`#${s.id}`}>
                {s.text}
              </a>
            </li>
          ))}
        </ol>
      </nav>
      <div className={proseClasses} dangerouslySetInnerHTML={{ __html: html }} />
    </article>
  );
}
