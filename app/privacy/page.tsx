import type { Metadata } from "next";

export const metadata: Metadata = { title: "Privacy Policy" };

// The full policy text, its versions and the 30-day notice of material changes come with the
// privacy-policy issue; the section anchors below are stable so other pages can link to them.
const sections = [
  { id: "what-we-collect", title: "What information do we collect about you online?" },
  { id: "how-we-use", title: "How do we use personal information collected online?" },
  { id: "sharing", title: "Do we share personal information collected online with third parties?" },
  { id: "review-and-change", title: "Can I review and change my personal information collected online?" },
  { id: "safeguards", title: "What do we do to help safeguard personal information collected online?" },
  { id: "cookies", title: "What are cookies and how do I disable them?" },
];

export default function PrivacyPage() {
  return (
    <article className="max-w-prose space-y-6">
      <h1 className="text-2xl font-bold">Online Privacy Policy</h1>
      <nav aria-label="Table of contents">
        <ul className="list-disc space-y-1 pl-6">
          {sections.map((s) => (
            <li key={s.id}>
              <a className="text-brand-700 underline" href={`#${s.id}`}>
                {s.title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {sections.map((s) => (
        <section key={s.id} id={s.id} aria-labelledby={`${s.id}-h`}>
          <h2 id={`${s.id}-h`} className="text-xl font-semibold">
            {s.title}
          </h2>
          <p className="text-gray-700">The full text of this section is being prepared for this site.</p>
        </section>
      ))}
    </article>
  );
}
