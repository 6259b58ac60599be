import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";
import { abilityFor } from "@/lib/services/actor";
import { savePolicyAction } from "../actions";
import { PolicyEditor } from "../policy-editor";

export const metadata: Metadata = { title: "New policy" };
export const dynamic = "force-dynamic";

const template = `name: payments-refunds
description: Payments developers run their team's refund runbooks in staging.
attach:
  teams: [payments]
rules:
  - action: run
    subject: Runbook
    conditions: { owner: { $in: $user.teams } }
    params: { environment: { $in: [dev, staging] } }
`;

export default async function NewPolicyPage() {
  const actor = await requireActor("/admin/policies/new");
  const canEdit = (await abilityFor(actor)).can("manage", "Policy");
  return (
    <>
      <div className="page-head">
        <p className="crumbs">
          <Link href="/admin/policies">Policies</Link> / new
        </p>
        <h1>New policy</h1>
      </div>
      <section className="panel">
        <PolicyEditor initialYaml={template} canEdit={canEdit} deniedReason={`no rule lets role ${actor.user.role} manage policies`} action={savePolicyAction.bind(null, null)} />
      </section>
    </>
  );
}
