import type { webhookDeliveries, webhooks, WebhookFormat, DeliveryStatus } from "../../db/schema";
import { ownerAlwaysReceives, type RunEventName } from "../../notifications/run-events";
import type { WebhookEventName } from "../../notifications/event-names";

export type WebhookRow = typeof webhooks.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

/** A webhook as callers see it: never its signing secret or the secret's ciphertext. */
export interface WebhookDto {
  id: string;
  name: string;
  /** In full only to those who may manage the hook: a URL (e.g. Slack's) can itself be a credential. */
  url: string;
  format: WebhookFormat;
  events: WebhookEventName[];
  /** Events sent whatever `events` says: an owner is told about every use of their runbooks. */
  alwaysReceives: RunEventName[];
  owner: string | null;
  active: boolean;
  secretKeyId: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  canManage: boolean;
}

export interface DeliveryDto {
  id: number;
  webhookId: string;
  event: string;
  runId: number | null;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  responseStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

/** `https://hooks.slack.com/…`: where a hook points, without the path or query that may hold a token. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname === "/" && !parsed.search ? parsed.origin : `${parsed.origin}/…`;
  } catch {
    return "…";
  }
}

export function toWebhookDto(row: WebhookRow, canManage: boolean): WebhookDto {
  return {
    id: row.id,
    name: row.name,
    url: canManage ? row.url : redactUrl(row.url),
    format: row.format,
    events: row.events as WebhookEventName[],
    alwaysReceives: row.owner === null ? [] : [...ownerAlwaysReceives],
    owner: row.owner,
    active: row.active,
    secretKeyId: row.secretKeyId,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    canManage,
  };
}

export function toDeliveryDto(row: DeliveryRow): DeliveryDto {
  return {
    id: row.id,
    webhookId: row.webhookId,
    event: row.event,
    runId: row.runId,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === "pending" ? row.nextAttemptAt.toISOString() : null,
    lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
    responseStatus: row.responseStatus,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
  };
}

/** What the audit log records of a hook: the URL redacted, never the secret. */
export function auditedSettings(row: Pick<WebhookRow, "name" | "url" | "format" | "events" | "owner" | "active">) {
  return { name: row.name, url: redactUrl(row.url), format: row.format, events: row.events, owner: row.owner, active: row.active };
}
