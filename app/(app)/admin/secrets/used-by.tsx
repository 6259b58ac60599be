import Link from "next/link";

/** Links to the runbooks whose environment refers to a secret. */
export function UsedBy({ slugs }: { slugs: string[] }) {
  if (slugs.length === 0) return <span className="muted">—</span>;
  return (
    <>
      {slugs.map((slug, index) => (
        <span key={slug}>
          {index > 0 ? ", " : null}
          <Link href={`/runbooks/${slug}`} className="mono small">
            {slug}
          </Link>
        </span>
      ))}
    </>
  );
}
