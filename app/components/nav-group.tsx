"use client";

import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

/**
 * Links that fold under one heading (an admin's Policies, Users, Teams…), so the top bar stays one
 * row on a laptop. Native <details>: it opens without JavaScript; it closes again on navigation.
 */
export function NavGroup({ label, paths, children }: { label: string; paths: string[]; children: ReactNode }) {
  const pathname = usePathname();
  const active = paths.some((path) => pathname === path || pathname.startsWith(`${path}/`));
  return (
    <details key={pathname} className="nav-group">
      <summary className={active ? "nav-link active" : "nav-link"}>{label}</summary>
      <div className="nav-group-items">{children}</div>
    </details>
  );
}
