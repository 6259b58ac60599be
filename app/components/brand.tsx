import Link from "next/link";

function Mark() {
  return (
    <svg className="brand-mark" viewBox="0 0 24 24" aria-hidden="true">
      <rect width="24" height="24" rx="6" fill="currentColor" />
      <path d="M5 9h14M5 9v9M12 9v9M19 9v9M5 14h14" stroke="#fff" strokeWidth="2" strokeLinecap="round" fill="none" />
    </svg>
  );
}

export function Brand({ large = false }: { large?: boolean }) {
  return (
    <Link href="/runbooks" className={large ? "brand brand-large" : "brand"}>
      <Mark />
      <span className="brand-name">Handrail</span>
    </Link>
  );
}
