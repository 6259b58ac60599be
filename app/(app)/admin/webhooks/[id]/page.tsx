import type { Metadata } from "next";
import Link from "next/link";
import { pageData } from "@/lib/api/page-data";
import { requireActor } from "@/lib/auth/current-actor";
import { webhookEventNames } from "@/lib/notifications/event-names";
import { listDeliveries } from "@/lib/services/webhooks/list-deliveries";
import { getWebhook } from "@/lib/services/webhooks/read-webhooks";
import { Denied } from "../../../../components/denied";
import { formatTime } from "../../../../components/format";
import { firstValues, type SearchParams } from "../../../../components/search-params";
import { updateWebhookAction } from "../actions";
import { DeliveryLog } from "./delivery-log";
import { WebhookControls } from "./webhook-controls";
import { WebhookForm } from "../webhook-form";
import { ActiveBadge } from "../status-badges";

export const metadata: Metadata = { title: "Webhook" };
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> };

export default async function WebhookPage({ params, searchParams }: Props) {
  const { id } = await params;
  const { before } = firstValues(await searchParams);
  const actor = await requireActor(`/admin/webhooks/${id}`);
  const loaded = await pageData(getWebhook(actor, id));
  if (!loaded.ok) return <Denied message={loaded.error} />;
  const hook = loaded.data;
  const log = await pageData(listDeliveries(actor, id, before && /^\d{1,15}$/.test(before) ? { before: Number(before) } : {}));
  return (
    <>
      <div className="page-head">
        <p className="crumbs">
          <Link href="/admin/webhooks">Webhooks</Link> / {hook.name}
        </p>
        <h1>
          {hook.name} <ActiveBadge active={hook.active} />
        </h1>
        <dl className="facts">
          <dt>URL</dt>
          <dd className="mono">{hook.url}</dd>
          <dt>Format</dt>
          <dd>{hook.format}</dd>
          <dt>Runbook owner</dt>
          <dd>{hook.owner ?? "every runbook"}</dd>
          <dt>Events</dt>
          <dd className="mono small">
            {hook.events.join(", ")}
            {hook.alwaysReceives.length > 0 ? <span className="muted"> (and always {hook.alwaysReceives.join(", ")})</span> : null}
          </dd>
          <dt>Signing key</dt>
          <dd className="small">{hook.format === "slack" ? "not signed: Slack checks no signature" : <span className="mono">{hook.secretKeyId}</span>}</dd>
          <dt>Created</dt>
          <dd className="small">
            {formatTime(hook.createdAt)} by {hook.createdBy}
          </dd>
        </dl>
        {hook.canManage ? <WebhookControls id={hook.id} name={hook.name} active={hook.active} signed={hook.format !== "slack"} /> : null}
      </div>
      {hook.canManage ? (
        <details className="panel settings-panel">
          <summary>
            <h2>Settings</h2>
          </summary>
          <WebhookForm action={updateWebhookAction} submit="Save" testId="edit-webhook" initial={hook} eventNames={webhookEventNames} />
        </details>
      ) : null}
      {/* The log takes the page's whole width: its error and time columns need it. */}
      <section className="delivery-log">
        <h2>Delivery log</h2>
        {log.ok ? <DeliveryLog webhookId={hook.id} page={log.data} canRedeliver={hook.canManage && hook.active} /> : <Denied message={log.error} />}
      </section>
    </>
  );
}
