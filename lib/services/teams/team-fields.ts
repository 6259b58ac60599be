import { z } from "zod";
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { teams } from "../../db/schema";
import { notFound } from "../../errors";

/** Policies and runbook `owner` refer to teams by name, so names are simple and stable. */
export const teamNameField = z
  .string({ message: "is required" })
  .trim()
  .min(1, "is required")
  .max(63, "must be at most 63 characters")
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be lowercase letters, digits and single dashes, starting and ending with a letter or digit");

export type TeamRow = typeof teams.$inferSelect;

export async function loadTeamByName(db: Db, name: string): Promise<TeamRow> {
  const [team] = await db.select().from(teams).where(eq(teams.name, name));
  if (!team) throw notFound(`no team named ${name}`);
  return team;
}
