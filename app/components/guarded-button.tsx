import type { ReactNode } from "react";

/**
 * A control the user may not use is shown disabled with the reason, never silently missing.
 * The server enforces the same rule; this is a courtesy.
 */
export function GuardedButton({
  allowed,
  reason,
  children,
  className = "button primary",
  disabled = false,
}: {
  allowed: boolean;
  reason: string | null;
  children: ReactNode;
  className?: string;
  disabled?: boolean;
}) {
  if (allowed) {
    return (
      <button type="submit" className={className} disabled={disabled}>
        {children}
      </button>
    );
  }
  return (
    <span className="guarded">
      <button type="button" className={className} disabled aria-describedby="guard-reason" title={reason ?? undefined}>
        {children}
      </button>
      <span id="guard-reason" className="guard-reason">
        {reason}
      </span>
    </span>
  );
}
