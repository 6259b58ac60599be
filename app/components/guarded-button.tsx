import { useId, type ReactNode } from "react";

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
  onClick,
}: {
  allowed: boolean;
  reason: string | null;
  children: ReactNode;
  className?: string;
  /** Allowed but not now (a form still invalid, a request in flight). */
  disabled?: boolean;
  /** Makes it a plain button calling this; without it, it submits its form. */
  onClick?: () => void;
}) {
  const reasonId = useId();
  if (allowed) {
    return (
      <button type={onClick ? "button" : "submit"} className={className} disabled={disabled} onClick={onClick}>
        {children}
      </button>
    );
  }
  return (
    <span className="guarded">
      <button type="button" className={className} disabled aria-describedby={reasonId} title={reason ?? undefined}>
        {children}
      </button>
      <span id={reasonId} className="guard-reason">
        {reason}
      </span>
    </span>
  );
}
