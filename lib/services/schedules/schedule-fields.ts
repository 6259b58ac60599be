import { z } from "zod";
import { scheduleMisfirePolicies, scheduleOverlapPolicies } from "../../db/schema";
import { ticketSchema } from "../../runbooks/safety";
import { cronProblem, timeZoneProblem } from "../../schedules/timing";

const timing = {
  cron: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters").optional(),
  runAt: z.iso.datetime({ offset: true, message: "must be a date and time with its offset, such as 2026-12-24T08:00:00+01:00" }).optional(),
  timeZone: z.string().trim().min(1, "must not be empty").max(64, "must be at most 64 characters").optional(),
};

const settings = {
  params: z.record(z.string(), z.unknown(), { error: "must be an object of parameter values" }).optional(),
  reason: z.string().trim().max(1000, "must be at most 1000 characters").optional(),
  ticket: ticketSchema.optional(),
  /** For a high-risk runbook: what a run would ask its requester to type, typed once for the schedule. */
  confirm: z.string().max(300, "must be at most 300 characters").optional(),
  misfire: z.enum(scheduleMisfirePolicies, { message: `must be one of: ${scheduleMisfirePolicies.join(", ")}` }).optional(),
  overlap: z.enum(scheduleOverlapPolicies, { message: `must be one of: ${scheduleOverlapPolicies.join(", ")}` }).optional(),
};

export const scheduleNameField = z
  .string({ error: "is required: a name for the schedule, unique for its runbook" })
  .trim()
  .min(1, "is required: a name for the schedule, unique for its runbook")
  .max(60, "must be at most 60 characters")
  .regex(/^[a-z0-9][a-z0-9-]*$/, "must be lower-case letters, digits and dashes");

/** Exactly one of cron and runAt; the cron expression and the time zone checked here, the runAt checked against now by the service. */
function checkTiming(value: { cron?: string | undefined; runAt?: string | undefined; timeZone?: string | undefined }, ctx: z.RefinementCtx, required: boolean) {
  if (value.cron !== undefined && value.runAt !== undefined) ctx.addIssue({ code: "custom", path: ["runAt"], message: "give either cron or runAt, not both" });
  else if (required && value.cron === undefined && value.runAt === undefined) ctx.addIssue({ code: "custom", path: ["cron"], message: "is required: a cron expression (or runAt, for once)" });
  const zoneProblem = value.timeZone === undefined ? undefined : timeZoneProblem(value.timeZone);
  if (zoneProblem) ctx.addIssue({ code: "custom", path: ["timeZone"], message: zoneProblem });
  const problem = value.cron === undefined || zoneProblem ? undefined : cronProblem(value.cron, value.timeZone ?? "UTC");
  if (problem) ctx.addIssue({ code: "custom", path: ["cron"], message: problem });
}

export const createScheduleInput = z
  .object({ runbook: z.string({ error: "is required: the runbook's slug" }).max(100, "must be at most 100 characters"), name: scheduleNameField, ...timing, ...settings })
  .strict()
  .superRefine((value, ctx) => checkTiming(value, ctx, true));
export type CreateScheduleInput = z.input<typeof createScheduleInput>;

/** Omitted fields stay as they are; giving cron replaces runAt and the other way round. */
export const updateScheduleInput = z
  .object({ ...timing, ...settings })
  .strict()
  .superRefine((value, ctx) => checkTiming(value, ctx, false));
export type UpdateScheduleInput = z.input<typeof updateScheduleInput>;

export const pauseScheduleInput = z.object({ reason: z.string().trim().max(500, "must be at most 500 characters").optional() }).strict();
