import type { DatabaseHandle } from "../db/client";
import { seedDefaultPolicies } from "./policies/seed-default-policies";

/** Migrations plus the data every installation needs: the shipped default policies. */
export async function prepareDatabase(handle: DatabaseHandle): Promise<void> {
  await handle.migrate();
  await seedDefaultPolicies(handle.db);
}
