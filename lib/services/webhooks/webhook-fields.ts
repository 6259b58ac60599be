import { z } from "zod";
import { deliveryStatuses, webhookFormats } from "../../db/schema";
import { webhookEventNames } from "../../notifications/event-names";
import { missingOr } from "../fields";


export const webhookNameField = z
  .string({ error: missingOr("is required", "must be text") })
  .trim()
  .min(1, "is required")
  .max(100, "must be at most 100 characters");

/** http(s) only; no user:password (fetch refuses them) — put a token in the path or rely on the signature. */
export const webhookUrlField = z
  .string({ error: missingOr("is required: the address to POST events to", "must be text") })
  .trim()
  .min(1, "is required: the address to POST events to")
  .max(2000, "must be at most 2000 characters")
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "must be an absolute http:// or https:// URL" });
      return;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") ctx.addIssue({ code: "custom", message: "must be an http:// or https:// URL" });
    else if (url.username || url.password) ctx.addIssue({ code: "custom", message: "must not contain a user name or password" });
  });

export const webhookEventsField = z
  .array(z.enum(webhookEventNames, { message: `must be one of: ${webhookEventNames.join(", ")}` }), { error: "must be a list of event names" })
  .min(1, "choose at least one event")
  .transform((events) => webhookEventNames.filter((name) => events.includes(name)));

export const webhookFormatField = z.enum(webhookFormats, { message: `must be one of: ${webhookFormats.join(", ")}` });

/** The runbook owner (team) whose runbooks the hook is about; null or "" for every runbook. */
export const webhookOwnerField = z
  .string({ error: "must be a runbook owner (team name), or null for every runbook" })
  .trim()
  .max(100, "must be at most 100 characters")
  .nullable()
  .transform((owner) => (owner ? owner : null));

export const createWebhookInput = z
  .object({
    name: webhookNameField,
    url: webhookUrlField,
    events: webhookEventsField,
    format: webhookFormatField.default("json"),
    owner: webhookOwnerField.optional().transform((owner) => owner ?? null),
  })
  .strict();
export type CreateWebhookInput = z.input<typeof createWebhookInput>;

export const updateWebhookInput = z
  .object({
    name: webhookNameField.optional(),
    url: webhookUrlField.optional(),
    events: webhookEventsField.optional(),
    format: webhookFormatField.optional(),
    owner: webhookOwnerField.optional(),
    active: z.boolean({ error: "must be true or false" }).optional(),
  })
  .strict();
export type UpdateWebhookInput = z.input<typeof updateWebhookInput>;

export const listDeliveriesQuery = z
  .object({
    status: z.enum(deliveryStatuses, { message: `must be one of: ${deliveryStatuses.join(", ")}` }).optional(),
    limit: z.coerce.number({ error: "must be a number from 1 to 200" }).int("must be a whole number").min(1, "must be at least 1").max(200, "must be at most 200").default(50),
    before: z.coerce.number({ error: "must be a delivery id" }).int("must be a delivery id").min(1, "must be a delivery id").optional(),
  })
  .strict();
export type ListDeliveriesQuery = z.input<typeof listDeliveriesQuery>;
