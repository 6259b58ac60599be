import { database } from "../../db";
import { addUser, type NewUser, type UserDto } from "./add-user";
import { auditActorOfCaller, authorizeCaller, type Caller } from "../caller";

/** An administrator creates a user (the policy-checked door to addUser). */
export async function createUser(caller: Caller, input: NewUser): Promise<UserDto> {
  const { db } = await database();
  await authorizeCaller(db, caller, { action: "manage", subjectType: "User", label: String(input.email ?? "") });
  return addUser(db, input, auditActorOfCaller(caller));
}
