import { z } from "zod";
import { emailField } from "../users/user-fields";
import { teamNameField } from "./team-fields";

export const membershipInput = z.object({ team: teamNameField, email: emailField });
export type MembershipInput = z.input<typeof membershipInput>;

export interface MembershipDto {
  team: string;
  email: string;
  members: string[];
}
