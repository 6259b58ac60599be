"use client";

import { useState } from "react";

/** A secret shown this once, with a copy button: it cannot be read back later. */
export function OneTimeSecret({ secret }: { secret: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div>
      <pre className="code" data-testid="secret">
        {secret}
      </pre>
      <button
        type="button"
        className="button small"
        onClick={() => void navigator.clipboard?.writeText(secret).then(() => setCopied(true), () => setCopied(false))}
      >
        {copied ? "Copied" : "Copy"}
      </button>{" "}
      <span className="small muted">Store it with the receiver now: Handrail never shows it again.</span>
    </div>
  );
}
