import { config } from "../../env";
import { database } from "../../db";
import { runs, runSecrets } from "../../db/schema";
import { recordAudit } from "../../audit/record";
import { AppError, invalidInput } from "../../errors";
import { RUN_QUEUED_CHANNEL } from "../../executor/channels";
import { sealSecrets } from "../../executor/run-secrets";
import { asRunbook } from "../../policy/ability";
import { runPossibility } from "../../policy/explain";
import { describeInvocation } from "../../runbooks/invocation";
import { referencedSecrets, renderLockKey, timeoutMs } from "../../runbooks/definition";
import { missingSecrets } from "../../secrets/store";
import { maskSecrets, SECRET_MASK, secretValues, validateParams, type ParamValues } from "../../runbooks/params";
import { auditActorOf, type Actor } from "../actor";

function describeValues(values: ParamValues): string {
  const entries = Object.entries(values);
  return entries.length > 0 ? entries.map(([name, value]) => `${name}=${String(value)}`).join(", ") : "no parameters";
}
import { authorize, authorizeVisible } from "../authorize";
import { loadRunbook } from "../runbooks/get-runbook";
import { queuePosition } from "./queue-position";
import { toRunDto, type RunDto, type RunRow } from "./run-dto";

export interface RunRequest {
  slug: string;
  params: Record<string, unknown>;
}

/** Authorise, validate, then queue the run and its audit event in one transaction. */
export async function requestRun(actor: Actor, request: RunRequest): Promise<RunDto> {
  const handle = await database();
  const { db } = handle;
  const { runbook, definition } = await loadRunbook(db, request.slug);
  const versionHash = runbook.currentVersionHash;
  const check = { subjectType: "Runbook" as const, subjectId: runbook.slug, label: runbook.slug, versionHash };
  const ability = await authorizeVisible(db, actor, { ...check, action: "view", subject: asRunbook(runbook), notFoundMessage: `no runbook "${runbook.slug}"` });
  const submittedMasked = maskSecrets(definition.parameters, request.params as ParamValues);
  const possibility = runPossibility(ability, asRunbook(runbook));
  // Refuse early when no parameter values at all could be allowed, before judging the values.
  if (!possibility.possible) {
    await authorize(db, actor, { ...check, ability, action: "run", subject: asRunbook(runbook), details: { params: submittedMasked } });
  }

  const validation = validateParams(definition.parameters, request.params);
  if (!validation.ok) {
    const [first] = validation.errors;
    throw invalidInput(first?.field ?? "params", validation.errors.map((error) => error.message).join("; "));
  }
  const values = validation.values;
  const masked = maskSecrets(definition.parameters, values);
  const { constraints } = possibility;
  await authorize(db, actor, {
    ...check,
    ability,
    action: "run",
    subject: asRunbook(runbook, values),
    label: constraints.length > 0 ? `${runbook.slug} with ${describeValues(masked)} (allowed: ${constraints.join("; or ")})` : runbook.slug,
    details: { params: masked },
  });
  const secrets = secretValues(definition.parameters, values);
  const key = config().authSecret;
  if (Object.keys(secrets).length > 0 && !key) throw new Error("AUTH_SECRET is required to queue runs with secret parameters");
  const unset = await missingSecrets(db, referencedSecrets(definition));
  if (unset.length > 0) {
    throw new AppError("conflict", `runbook "${runbook.slug}" needs secrets that are not set: ${unset.join(", ")} (an admin sets them under Secrets or with \`handrail secrets set\`)`);
  }
  const maskedArgv = describeInvocation(definition, masked, {
    workerEnv: {},
    secretValue: () => SECRET_MASK,
    runId: "",
    workDir: "",
    scriptPath: definition.script?.path ?? "",
  }).argv;

  const { row, queue } = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(runs)
      .values({
        runbookSlug: runbook.slug,
        versionHash,
        status: "queued",
        params: masked,
        argv: maskedArgv,
        requestedBy: actor.user.id,
        requestedVia: actor.via,
        tokenId: actor.tokenId ?? null,
        timeoutMs: timeoutMs(definition),
        concurrencyLimit: definition.concurrency ?? null,
        lockKey: definition.lock === undefined ? null : renderLockKey(definition.lock, values),
      })
      .returning();
    if (!created) throw new Error("run insert returned nothing");
    if (Object.keys(secrets).length > 0 && key) {
      await tx.insert(runSecrets).values({ runId: created.id, ciphertext: sealSecrets(secrets, key) });
    }
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      action: "run.requested",
      outcome: "success",
      subjectType: "run",
      subjectId: String(created.id),
      versionHash,
      details: { runbook: runbook.slug, params: masked, argv: maskedArgv, via: actor.via },
    });
    // Answered from what this transaction knows: once the worker is woken, every query here would
    // compete with its claim (on the embedded database, one thread) and delay the first line.
    const requested: RunRow = {
      run: created,
      requester: { id: actor.user.id, email: actor.user.email, name: actor.user.name },
      runbookTitle: runbook.title,
      risk: runbook.risk,
      owner: runbook.owner,
      tags: runbook.tags,
      environment: runbook.environment,
    };
    return { row: requested, queue: await queuePosition(tx, created) };
  });
  await handle.notify(RUN_QUEUED_CHANNEL, String(row.run.id));
  return toRunDto(row, ability, queue);
}
