"use client";

import { useState } from "react";

/** Copies a value to the clipboard; where the Clipboard API is unavailable (plain http), selects it for Ctrl+C instead. */
export function CopyButton({ value, targetId, label = "Copy" }: { value: string; targetId?: string; label?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "select">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      const target = targetId ? document.getElementById(targetId) : null;
      if (target) window.getSelection()?.selectAllChildren(target);
      setState("select");
    }
  }
  return (
    <button type="button" className="button small" onClick={() => void copy()} data-testid="copy-secret">
      {state === "copied" ? "Copied" : state === "select" ? "Selected: press Ctrl+C" : label}
    </button>
  );
}
