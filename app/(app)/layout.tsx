import type { ReactNode } from "react";
import { packRules } from "@casl/ability/extra";
import { requireActor } from "@/lib/auth/current-actor";
import type { AppRule } from "@/lib/policy/ability";
import { abilityFor } from "@/lib/services/actor";
import { ClientAbility, type PackedRules } from "../components/ability-context";
import { signOutAction } from "../actions";
import { Brand } from "../components/brand";
import { NavLink } from "../components/nav-link";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor();
  const packedRules = packRules((await abilityFor(actor)).rules as AppRule[]) as PackedRules;
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
      <main className="page">
        <ClientAbility packedRules={packedRules} role={actor.user.role}>
          {children}
        </ClientAbility>
      </main>
    </>
  );
}
