import type { DeliveryDto } from "@/lib/services/webhooks/webhook-dto";

const deliveryClass: Record<DeliveryDto["status"], string> = {
  pending: "status-queued",
  delivered: "status-succeeded",
  failed: "status-failed",
};

export function DeliveryBadge({ status }: { status: DeliveryDto["status"] }) {
  return <span className={`badge ${deliveryClass[status]}`}>{status}</span>;
}

export function ActiveBadge({ active }: { active: boolean }) {
  return <span className={`badge ${active ? "status-succeeded" : "status-cancelled"}`}>{active ? "active" : "inactive"}</span>;
}
