"use client";

import { usePathname } from "next/navigation";

/**
 * The phone's Menu switch: a checkbox the CSS reads (`.nav-toggle:checked ~ .nav`), so the menu
 * opens before any script runs; keyed by the path, so it is closed again after each navigation.
 */
export function NavToggle() {
  const pathname = usePathname();
  return (
    <>
      <input key={pathname} type="checkbox" id="nav-toggle" className="nav-toggle" aria-controls="main-nav" />
      <label htmlFor="nav-toggle" className="nav-toggle-label button ghost small">
        Menu
      </label>
    </>
  );
}
