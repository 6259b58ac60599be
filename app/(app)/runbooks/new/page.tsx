import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";
import { abilityFor } from "@/lib/services/actor";
import { Denied } from "../../../components/denied";
import { proposeRunbookAction, saveRunbookAction } from "../_editor/actions";
import { RunbookEditor } from "../_editor/runbook-editor";
import { NEW_RUNBOOK_TEMPLATE } from "../_editor/template";

export const metadata: Metadata = { title: "New runbook" };
export const dynamic = "force-dynamic";

export default async function NewRunbookPage() {
  const actor = await requireActor("/runbooks/new");
  const ability = await abilityFor(actor);
  // Authors create directly; whoever may only propose gets the same editor, and an operator reviews.
  const mode = ability.can("edit", "Runbook") ? "create" : ability.can("propose", "Runbook") ? "propose" : null;
  if (!mode) return <Denied message={`no rule lets role ${actor.user.role} create or propose runbooks`} />;
  return (
    <>
      <div className="page-head">
        <p className="crumbs">
          <Link href="/runbooks">Runbooks</Link> / new
        </p>
        <h1>{mode === "create" ? "New runbook" : "Propose a runbook"}</h1>
        <p className="lead">
          {mode === "create"
            ? "Describe the task, its parameters and what it runs. It is runnable as soon as you create it, and every change is kept as a version."
            : "Draft a runbook for an operator to review. Nobody can run it until an operator publishes it."}
        </p>
      </div>
      <RunbookEditor initialYaml={NEW_RUNBOOK_TEMPLATE} mode={mode} action={mode === "create" ? saveRunbookAction.bind(null, null) : proposeRunbookAction.bind(null, null)} />
    </>
  );
}
