import type { Metadata } from "next";
import { pageData } from "@/lib/api/page-data";
import { requireActor } from "@/lib/auth/current-actor";
import { listPanels } from "@/lib/services/views/panels";
import { Denied } from "../../components/denied";
import { renderedAt } from "./age";
import { AutoRefresh } from "./auto-refresh";
import { PanelCard } from "./panel-card";
import styles from "./dashboard.module.css";

export const metadata: Metadata = { title: "Dashboard" };
export const dynamic = "force-dynamic";

const IDLE_POLL_SECONDS = 20;
const REFRESHING_POLL_SECONDS = 2;

export default async function DashboardPage() {
  const actor = await requireActor("/dashboard");
  const loaded = await pageData(listPanels(actor));
  if (!loaded.ok) return <Denied message={loaded.error} />;
  const panels = loaded.data;
  const now = renderedAt();
  return (
    <>
      <div className="page-head">
        <h1>Dashboard</h1>
        <p className="muted">
          The state of what you can act on, as the view runbooks last reported it, with the runbooks that act on the same things. Refreshing a panel runs
          its view once (at most every 30 s); the page keeps itself current, and shows a refresh's result as it lands.
        </p>
      </div>
      {panels.length === 0 ? (
        <p className="empty">No views you can see. A runbook with `view: true` reports the state of something here (docs/views.md).</p>
      ) : (
        <div className={styles.grid} data-testid="dashboard">
          {/* While a view runs, its panel is re-read every few seconds: a refresh shows its result as it lands. */}
          <AutoRefresh seconds={panels.some((panel) => panel.refreshing) ? REFRESHING_POLL_SECONDS : IDLE_POLL_SECONDS} />
          {panels.map((panel) => (
            <PanelCard key={panel.runbook.slug} panel={panel} now={now} />
          ))}
        </div>
      )}
    </>
  );
}
