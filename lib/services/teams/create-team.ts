import { z } from "zod";
import { eq } from "drizzle-orm";
import { recordAudit } from "../../audit/record";
import { database } from "../../db";
import { teams } from "../../db/schema";
import { AppError } from "../../errors";
import { auditActorOfCaller, authorizeCaller, type Caller } from "../caller";
import { parseInput } from "../fields";
import { teamNameField } from "./team-fields";

export const newTeamInput = z.object({
  name: teamNameField,
  description: z.string().trim().max(500, "must be at most 500 characters").optional().default(""),
});
export type NewTeamInput = z.input<typeof newTeamInput>;

export interface TeamDto {
  id: string;
  name: string;
  description: string;
}

export async function createTeam(caller: Caller, input: NewTeamInput): Promise<TeamDto> {
  const { db } = await database();
  await authorizeCaller(db, caller, { action: "manage", subjectType: "Team", label: String(input?.name ?? "") });
  const { name, description } = parseInput(newTeamInput, input);
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.name, name));
    if (existing) throw new AppError("conflict", `a team named ${name} already exists`, "name");
    const [created] = await tx.insert(teams).values({ name, description }).onConflictDoNothing().returning();
    if (!created) throw new AppError("conflict", `a team named ${name} already exists`, "name");
    await recordAudit(tx, {
      actor: auditActorOfCaller(caller),
      action: "team.created",
      outcome: "success",
      subjectType: "team",
      subjectId: created.id,
      details: { before: null, after: { name, description } },
    });
    return { id: created.id, name, description };
  });
}
