import { redirect } from "next/navigation";
import { sessionActor } from "@/lib/auth/current-actor";

/** Home: a developer's is the Dashboard (the state of what they may act on, beside the actions); everyone else's the runbooks. */
export default async function Home(): Promise<never> {
  const actor = await sessionActor();
  redirect(actor?.user.role === "developer" ? "/dashboard" : "/runbooks");
}
