import Link from "next/link";

export default function NotFound() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">We can&apos;t find that page</h1>
      <p>It may have moved, or the link may be mistyped.</p>
      <Link href="/" className="text-brand-700 underline">
        Go to MyAccount
      </Link>
    </div>
  );
}
