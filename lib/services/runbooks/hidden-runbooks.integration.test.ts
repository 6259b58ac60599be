import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db";
import { createActor, rejection, seedRunbooks, seedScopedPolicies } from "../../testing/fixtures";
import { getRunbook } from "./get-runbook";
import { openTestDatabase, testDriver } from "../../testing/test-database";
import type { Actor } from "../actor";
import { saveRunbook } from "./authoring/save-runbook";
import { proposeRunbook } from "./proposals/propose-runbook";
import { getProposal, listProposals } from "./proposals/read-proposals";
import { publishProposal, rejectProposal } from "./proposals/review-proposal";

const paymentsRunbook = (title: string) => `
slug: pay-rotate
title: ${title}
owner: payments
risk: low
timeout: 30s
env: { GATEWAY_URL: "https://gateway.internal.example" }
command: ["true"]
`;

// With the team-scoped policies of docs/policies.md, a payments runbook is hidden from everyone outside
// the team: its proposals must answer to them exactly as a runbook that does not exist.
describe(`hidden runbooks in proposals on ${testDriver}`, () => {
  let handle: DatabaseHandle;
  let dispose: () => Promise<void>;
  let payer: Actor;
  let operator: Actor;
  let developer: Actor;
  let proposalId: string;

  beforeAll(async () => {
    ({ handle, dispose } = await openTestDatabase());
    const admin = await createActor(handle, "admin");
    const payerActor = await createActor(handle, "developer", "payer");
    payer = { ...payerActor, user: { ...payerActor.user, teams: ["payments"] } };
    operator = await createActor(handle, "operator");
    developer = await createActor(handle, "developer");
    await saveRunbook(admin, { yaml: paymentsRunbook("Rotate the gateway key"), message: "first" });
    await seedScopedPolicies(handle);
    await seedRunbooks(handle, { "disk.yaml": "slug: disk-file\ntitle: Disk\nowner: platform\nrisk: low\ntimeout: 30s\ncommand: [\"df\"]\n" });
    proposalId = (await proposeRunbook(payer, { slug: "pay-rotate", yaml: paymentsRunbook("Rotate the gateway key, carefully"), message: "safer" })).id;
  });

  afterAll(async () => dispose?.());

  it("an operator outside the team can neither list, read, publish nor reject its proposal", async () => {
    expect((await listProposals(operator, "open")).map((proposal) => proposal.id)).not.toContain(proposalId);
    expect(await rejection(getProposal(operator, proposalId))).toMatchObject({ status: 404, message: `no proposal ${proposalId}` });
    expect(await rejection(publishProposal(operator, proposalId, { comment: "ok" }))).toMatchObject({ status: 404, message: `no proposal ${proposalId}` });
    expect(await rejection(rejectProposal(operator, proposalId, { comment: "no" }))).toMatchObject({ status: 404, message: `no proposal ${proposalId}` });
  });

  it("proposing a new runbook under a hidden slug answers as for a free slug, and tells the proposer nothing", async () => {
    const hidden = await proposeRunbook(developer, { yaml: paymentsRunbook("Mine now").replace("owner: payments", "owner: platform"), message: "new" });
    const free = await proposeRunbook(developer, { yaml: paymentsRunbook("Free").replace("slug: pay-rotate", "slug: truly-new").replace("owner: payments", "owner: platform"), message: "new" });
    const [asHidden, asFree] = await Promise.all([getProposal(developer, hidden.id), getProposal(developer, free.id)]);
    expect(asHidden).toMatchObject({ kind: "new", stale: false, baseYaml: "" });
    expect(asFree).toMatchObject({ kind: "new", stale: false, baseYaml: "" });
  });

  it("shows the file a runbook is managed by (a path in the install directory) to those who may edit it only", async () => {
    expect((await getRunbook(operator, "disk-file")).sourcePath).toMatch(/disk\.yaml$/);
    expect((await getRunbook(developer, "disk-file")).sourcePath).toBeNull();
  });
});
