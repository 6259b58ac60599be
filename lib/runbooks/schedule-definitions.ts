import { z } from "zod";
import { scheduleMisfirePolicies, scheduleOverlapPolicies } from "../schedule-policies";
import { cronProblem, timeZoneProblem } from "../schedules/timing";
import type { ParameterDefinition } from "./schema-parts";

/**
 * A schedule written in the runbook (`schedules:`): part of the version, so a change to it is a new
 * version, reviewed like one (adding or changing one is a loosening: it makes runs happen as its owner).
 */
export const scheduleDefinitionSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,59}$/, "must be lower-case letters, digits and dashes (at most 60)"),
    cron: z.string().min(1).max(200).optional(),
    runAt: z.iso.datetime({ offset: true, message: "must be a date and time with its offset, such as 2026-12-24T08:00:00+01:00" }).optional(),
    timeZone: z.string().min(1).max(64).default("UTC"),
    /** The Handrail user each fire runs as, authorised as they are at that moment. */
    owner: z.email("must be the email address of a Handrail user").transform((email) => email.toLowerCase()),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    reason: z.string().min(1).max(1000).optional(),
    ticket: z.string().min(1).max(100).optional(),
    misfire: z.enum(scheduleMisfirePolicies).default("skip"),
    overlap: z.enum(scheduleOverlapPolicies).default("skip"),
  })
  .strict();
export type ScheduleDefinition = z.infer<typeof scheduleDefinitionSchema>;

export const schedulesSchema = z.array(scheduleDefinitionSchema).max(20, "at most 20 schedules");

/** Names unique, exactly one of cron and runAt, a known time zone, a valid expression, parameters that exist and are not secret. */
export function checkScheduleDefinitions(schedules: readonly ScheduleDefinition[], parameters: readonly ParameterDefinition[], ctx: z.RefinementCtx): void {
  const names = new Set<string>();
  schedules.forEach((schedule, index) => {
    const at = (field: string) => ["schedules", index, field];
    if (names.has(schedule.name)) ctx.addIssue({ code: "custom", path: at("name"), message: `duplicate schedule "${schedule.name}"` });
    names.add(schedule.name);
    if ((schedule.cron === undefined) === (schedule.runAt === undefined)) ctx.addIssue({ code: "custom", path: at("cron"), message: "give exactly one of cron and runAt" });
    const zone = timeZoneProblem(schedule.timeZone);
    if (zone) ctx.addIssue({ code: "custom", path: at("timeZone"), message: zone });
    const problem = schedule.cron === undefined || zone ? undefined : cronProblem(schedule.cron, schedule.timeZone);
    if (problem) ctx.addIssue({ code: "custom", path: at("cron"), message: problem });
    for (const name of Object.keys(schedule.params)) {
      const parameter = parameters.find((candidate) => candidate.name === name);
      if (!parameter) ctx.addIssue({ code: "custom", path: [...at("params"), name], message: `names no parameter` });
      else if (parameter.type === "secret") ctx.addIssue({ code: "custom", path: [...at("params"), name], message: "is a secret parameter: a schedule keeps its values in the clear" });
    }
  });
}
