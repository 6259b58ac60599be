import type { ReactNode } from "react";
import { packRules } from "@casl/ability/extra";
import { requireActor } from "@/lib/auth/current-actor";
import type { AppRule } from "@/lib/policy/ability";
import { abilityFor } from "@/lib/services/actor";
import { isolationStatus } from "@/lib/services/system/isolation-status";
import { countOpenProposals } from "@/lib/services/runbooks/proposals/read-proposals";
import { countWaitingForMe } from "@/lib/services/runs/approvals/count-waiting";
import { ClientAbility, type PackedRules } from "../components/ability-context";
import { signOutAction } from "../actions";
import { Brand } from "../components/brand";
import { NavLink } from "../components/nav-link";
import { NavGroup } from "../components/nav-group";
import { NavToggle } from "../components/nav-toggle";
import styles from "./layout.module.css";

function Count({ n, label }: { n: number; label: string }) {
  if (n === 0) return null;
  return (
    <span className={styles.count} title={`${n} ${label}`} aria-label={`${n} ${label}`}>
      {n}
    </span>
  );
}

/** Admins see, on every page, that runs here can read the platform's secrets. */
function IsolationBanner() {
  const status = isolationStatus();
  if (status.mode !== "none") return null;
  return (
    <p className="notice notice-denied isolation-banner" role="status" data-testid="isolation-banner">
      <strong>Runs are not isolated.</strong> {status.problem ?? "HANDRAIL_ISOLATION=none, or nothing better works on this host:"} a run can read this
      server&apos;s secrets and other runs&apos; environment. Install bubblewrap or run Handrail as root; see <span className="mono">docs/security.md</span>.
    </p>
  );
}

export default async function AppLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor();
  const ability = await abilityFor(actor);
  const packedRules = packRules(ability.rules as AppRule[]) as PackedRules;
  const seesProposals = ability.can("propose", "Runbook") || ability.can("edit", "Runbook");
  // Counts only: a run page refreshes this layout every time its run changes.
  const [openProposals, waitingApprovals] = await Promise.all([
    seesProposals ? countOpenProposals(actor, ability) : 0,
    ability.can("approve", "Run") ? countWaitingForMe(actor, ability) : 0,
  ]);
  const adminLinks = [
    { href: "/admin/policies", label: "Policies", shown: ability.can("view", "Policy") },
    { href: "/admin/users", label: "Users", shown: ability.can("manage", "User") },
    { href: "/admin/teams", label: "Teams", shown: ability.can("manage", "Team") },
    { href: "/admin/secrets", label: "Secrets", shown: ability.can("view", "Secret") },
    { href: "/admin/webhooks", label: "Webhooks", shown: ability.can("view", "Webhook") },
  ].filter((link) => link.shown);
  return (
    <>
      <header className="topbar">
        <Brand />
        {/* On a phone the links fold behind this toggle (CSS only, so it works before any script). */}
        <NavToggle />
        <nav className="nav" id="main-nav" aria-label="Main">
          <NavLink href="/dashboard">Dashboard</NavLink>
          <NavLink href="/runbooks">Runbooks</NavLink>
          <NavLink href="/runs">Runs</NavLink>
          <NavLink href="/schedules">Schedules</NavLink>
          {seesProposals ? (
            <NavLink href="/proposals">
              Proposals
              <Count n={openProposals} label="open" />
            </NavLink>
          ) : null}
          <NavLink href="/approvals">
            Approvals
            <Count n={waitingApprovals} label="waiting for you" />
          </NavLink>
          <NavLink href="/access">Access</NavLink>
          {ability.can("view", "AuditEvent") ? <NavLink href="/audit">Audit</NavLink> : null}
          {adminLinks.length > 0 ? (
            <NavGroup label="Admin" paths={adminLinks.map((link) => link.href)}>
              {adminLinks.map((link) => (
                <NavLink key={link.href} href={link.href}>
                  {link.label}
                </NavLink>
              ))}
            </NavGroup>
          ) : null}
          <NavLink href="/tokens">Tokens</NavLink>
        </nav>
        <div className="whoami">
          <span className="whoami-name">{actor.user.name}</span>
          <span className={`role role-${actor.user.role}`} title={`${actor.user.name} (${actor.user.email})`}>
            {actor.user.role}
          </span>
          <form action={signOutAction}>
            <button type="submit" className="button ghost small">
              Sign out
            </button>
          </form>
        </div>
      </header>
      <main className="page">
        {actor.user.role === "admin" ? <IsolationBanner /> : null}
        <ClientAbility packedRules={packedRules} role={actor.user.role}>
          {children}
        </ClientAbility>
      </main>
    </>
  );
}
