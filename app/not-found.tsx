import Link from "next/link";

export default function NotFound() {
  return (
    <main className="page narrow">
      <h1>Not found</h1>
      <p className="muted">There is nothing at this address, or it was removed.</p>
      <p>
        <Link href="/runbooks">Back to runbooks</Link>
      </p>
    </main>
  );
}
