import type { Metadata } from "next";
import Link from "next/link";
import { pageData } from "@/lib/api/page-data";
import { requireActor } from "@/lib/auth/current-actor";
import { listApprovalInbox, listBreakGlassRuns } from "@/lib/services/runs/approvals/list-approvals";
import { Denied } from "../../components/denied";
import { firstValues, type SearchParams } from "../../components/search-params";
import { BreakGlassTable } from "./break-glass-table";
import { PendingTable } from "./pending-table";
import { StepApprovalsTable } from "./step-approvals-table";
import styles from "./approvals.module.css";

export const metadata: Metadata = { title: "Approvals" };
export const dynamic = "force-dynamic";

export default async function ApprovalsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requireActor("/approvals");
  const acknowledged = firstValues(await searchParams).review === "acknowledged";
  const loaded = await pageData(
    Promise.all([listApprovalInbox(actor), listBreakGlassRuns(actor, { reviewed: acknowledged })]).then(([inbox, glass]) => ({ inbox, glass })),
  );
  if (!loaded.ok) return <Denied message={loaded.error} />;
  const { inbox, glass } = loaded.data;
  return (
    <>
      <div className="page-head">
        <h1>Approvals</h1>
        <p className="lead">Risky runs wait here, frozen as they will run, until someone other than the requester approves them. Break-glass runs skipped that wait and must be acknowledged afterwards.</p>
      </div>
      <section className={styles.section} aria-label="Waiting for your approval">
        <h2>Waiting for your approval</h2>
        {inbox.toDecide.length === 0 ? <p className="empty">Nothing is waiting for you.</p> : <PendingTable runs={inbox.toDecide} decide />}
      </section>
      <section className={styles.section} aria-label="Other pending requests">
        <h2>Other pending requests</h2>
        {inbox.waiting.length === 0 ? <p className="empty">No other request is waiting.</p> : <PendingTable runs={inbox.waiting} decide={false} />}
      </section>
      {inbox.steps.length > 0 ? (
        <section className={styles.section} aria-label="Steps waiting for approval">
          <h2>Steps waiting for approval</h2>
          <StepApprovalsTable requests={inbox.steps} />
        </section>
      ) : null}
      <section className={styles.section} aria-label="Break-glass review queue">
        <div className={styles.head}>
          <h2>Break-glass review queue</h2>
          <nav className={styles.tabs} aria-label="Break-glass runs">
            <Link href="/approvals" className={acknowledged ? styles.tab : `${styles.tab} ${styles.current}`} aria-current={acknowledged ? undefined : "page"}>
              To acknowledge
            </Link>
            <Link
              href="/approvals?review=acknowledged"
              className={acknowledged ? `${styles.tab} ${styles.current}` : styles.tab}
              aria-current={acknowledged ? "page" : undefined}
            >
              Acknowledged
            </Link>
          </nav>
        </div>
        {glass.length === 0 ? (
          <p className="empty">{acknowledged ? "No break-glass run has been acknowledged yet." : "No break-glass run waits for review."}</p>
        ) : (
          <BreakGlassTable runs={glass} actorId={actor.user.id} />
        )}
      </section>
    </>
  );
}
