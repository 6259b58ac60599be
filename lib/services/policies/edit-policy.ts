import YAML from "yaml";
import { database } from "../../db";
import { invalidInput } from "../../errors";
import type { Actor } from "../actor";
import { auditActorOf } from "../actor";
import { authorize } from "../authorize";
import { savePolicyVersion, type SavedPolicy } from "./save-policy";

export interface PolicyEdit {
  /** The policy document as YAML (JSON is YAML too). */
  yaml: string;
  reason: string;
  /** When editing an existing policy: its name, which the document must keep. */
  name?: string | undefined;
}

/** Creates or changes a policy from the editor: admins only, validated, versioned, audited. */
export async function editPolicy(actor: Actor, edit: PolicyEdit): Promise<SavedPolicy> {
  const { db } = await database();
  await authorize(db, actor, { action: "manage", subjectType: "Policy", label: edit.name });
  let document: unknown;
  try {
    document = YAML.parse(edit.yaml);
  } catch (error) {
    throw invalidInput("yaml", `the policy is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  if (edit.name && (document as { name?: unknown } | null)?.name !== edit.name) {
    throw invalidInput("name", `the policy's name must stay "${edit.name}"; create a new policy to use another name`);
  }
  return savePolicyVersion(db, { document: document as never, reason: edit.reason, source: "ui" }, auditActorOf(actor));
}
