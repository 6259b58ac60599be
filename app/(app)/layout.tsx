import type { ReactNode } from "react";
import { requireActor } from "@/lib/auth/current-actor";
import { signOutAction } from "../actions";
import { Brand } from "../components/brand";
import { NavLink } from "../components/nav-link";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor();
  return (
    <>
      <header className="topbar">
        <Brand />
        <nav className="nav" aria-label="Main">
          <NavLink href="/runbooks">Runbooks</NavLink>
          <NavLink href="/runs">Runs</NavLink>
          <NavLink href="/access">Access</NavLink>
          <NavLink href="/admin/policies">Policies</NavLink>
        </nav>
        <div className="whoami">
          <span>{actor.user.name}</span>
          <span className={`role role-${actor.user.role}`}>{actor.user.role}</span>
          <form action={signOutAction}>
            <button type="submit" className="button ghost small">
              Sign out
            </button>
          </form>
        </div>
      </header>
      <main className="page">{children}</main>
    </>
  );
}
