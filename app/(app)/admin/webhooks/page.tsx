import type { Metadata } from "next";
import Link from "next/link";
import { pageData } from "@/lib/api/page-data";
import { requireActor } from "@/lib/auth/current-actor";
import { webhookEventNames } from "@/lib/notifications/event-names";
import { abilityFor } from "@/lib/services/actor";
import { listWebhooks } from "@/lib/services/webhooks/read-webhooks";
import { Denied } from "../../../components/denied";
import { createWebhookAction } from "./actions";
import { ActiveBadge } from "./status-badges";
import { WebhookForm } from "./webhook-form";

export const metadata: Metadata = { title: "Webhooks" };
export const dynamic = "force-dynamic";

export default async function WebhooksPage() {
  const actor = await requireActor("/admin/webhooks");
  const loaded = await pageData(listWebhooks(actor));
  if (!loaded.ok) return <Denied message={loaded.error} />;
  const hooks = loaded.data;
  const canCreate = (await abilityFor(actor)).can("manage", "Webhook");
  return (
    <>
      <div className="page-head">
        <h1>Webhooks</h1>
        <p className="muted">
          Run events POSTed to other systems as signed JSON or Slack messages, retried with backoff. A hook for one runbook owner also
          receives every request and break-glass use of that owner&apos;s runbooks. See <span className="mono">docs/webhooks.md</span> to verify
          signatures.
        </p>
      </div>
      <div className={canCreate ? "columns" : undefined}>
        <div>
          {hooks.length === 0 ? (
            <p className="empty">No webhooks yet.</p>
          ) : (
            <table className="table" data-testid="webhooks-table">
              <thead>
                <tr>
                  <th>Webhook</th>
                  <th>Owner</th>
                  <th>Events</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {hooks.map((hook) => (
                  <tr key={hook.id} data-webhook={hook.name}>
                    <td>
                      <Link href={`/admin/webhooks/${hook.id}`}>{hook.name}</Link>
                      <div className="mono small muted">{hook.url}</div>
                      <div className="small muted">format: {hook.format}</div>
                    </td>
                    <td>{hook.owner ?? <span className="muted">every runbook</span>}</td>
                    <td>
                      {[...new Set([...hook.events, ...hook.alwaysReceives])].map((event) => (
                        <span key={event} className="tag mono">
                          {event}
                        </span>
                      ))}
                    </td>
                    <td>
                      <ActiveBadge active={hook.active} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        {canCreate ? (
          <section className="panel">
            <h2>Add a webhook</h2>
            <WebhookForm action={createWebhookAction} submit="Create webhook" testId="create-webhook" eventNames={webhookEventNames} />
          </section>
        ) : null}
      </div>
    </>
  );
}
