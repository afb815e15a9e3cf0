import Link from "next/link";

export default function Forbidden() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">You don&apos;t have access to this page</h1>
      <p>Your account cannot open this part of the site. If you think it should, contact your administrator.</p>
      <Link href="/" className="text-brand-700 underline">
        Go to your home page
      </Link>
    </div>
  );
}
