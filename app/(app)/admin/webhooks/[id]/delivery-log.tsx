import Link from "next/link";
import type { DeliveryPage } from "@/lib/services/webhooks/list-deliveries";
import { formatTime } from "../../../../components/format";
import { ActionForm } from "../../users/action-form";
import { redeliverAction } from "../actions";
import { DeliveryBadge } from "../status-badges";
import styles from "../webhooks.module.css";

export function DeliveryLog({ webhookId, page, canRedeliver }: { webhookId: string; page: DeliveryPage; canRedeliver: boolean }) {
  if (page.deliveries.length === 0) return <p className="empty">Nothing sent yet.</p>;
  return (
    <>
      <table className="table" data-testid="deliveries-table">
        <thead>
          <tr>
            <th>#</th>
            <th>Event</th>
            <th>Status</th>
            <th>Attempts</th>
            <th>Response</th>
            <th>Last error</th>
            <th>Time</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {page.deliveries.map((delivery) => (
            <tr key={delivery.id} data-delivery={delivery.id}>
              <td className="mono small">{delivery.id}</td>
              <td>
                <div className="mono small">{delivery.event}</div>
                {delivery.runId !== null ? (
                  <Link href={`/runs/${delivery.runId}`} className="small">
                    run #{delivery.runId}
                  </Link>
                ) : null}
              </td>
              <td>
                <DeliveryBadge status={delivery.status} />
              </td>
              <td className="small">{delivery.attempts}</td>
              <td className="mono small">{delivery.responseStatus ?? "—"}</td>
              <td className={`small ${styles.error}`}>{delivery.lastError ?? "—"}</td>
              <td className="small nowrap">
                <div>queued {formatTime(delivery.createdAt)}</div>
                {delivery.deliveredAt ? <div>delivered {formatTime(delivery.deliveredAt)}</div> : null}
                {!delivery.deliveredAt && delivery.lastAttemptAt ? <div>tried {formatTime(delivery.lastAttemptAt)}</div> : null}
                {delivery.nextAttemptAt ? <div className="muted">next {formatTime(delivery.nextAttemptAt)}</div> : null}
              </td>
              <td>
                {canRedeliver && delivery.status !== "pending" ? (
                  <ActionForm
                    action={redeliverAction}
                    layout="inline"
                    submit="Redeliver"
                    buttonClass="button ghost small"
                    fields={[
                      { name: "id", type: "hidden", defaultValue: webhookId },
                      { name: "delivery", type: "hidden", defaultValue: String(delivery.id) },
                    ]}
                  />
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {page.nextBefore ? (
        <p className="pager">
          <Link href={`/admin/webhooks/${webhookId}?before=${page.nextBefore}`}>Older deliveries →</Link>
        </p>
      ) : null}
    </>
  );
}
