import type { Metadata } from "next";
import { pageData } from "@/lib/api/page-data";
import { requireActor } from "@/lib/auth/current-actor";
import { asSecret } from "@/lib/policy/ability";
import { abilityFor } from "@/lib/services/actor";
import { listSecrets, type SecretSummary } from "@/lib/services/secrets/list-secrets";
import { Denied } from "../../../components/denied";
import { formatTime } from "../../../components/format";
import { ActionForm } from "../users/action-form";
import { deleteSecretAction, setSecretAction } from "./actions";
import { UsedBy } from "./used-by";

export const metadata: Metadata = { title: "Secrets" };
export const dynamic = "force-dynamic";

const keyNotes: Record<SecretSummary["key"], string | null> = {
  current: null,
  previous: "sealed with a previous key: run handrail secrets rotate",
  unknown: "sealed with a key this server does not have: runs using it fail",
};

function Manage({ secret }: { secret: SecretSummary }) {
  return (
    <>
      <ActionForm
        action={setSecretAction}
        layout="inline"
        submit="Replace"
        buttonClass="button small"
        fields={[
          { name: "name", type: "hidden", defaultValue: secret.name },
          { name: "value", label: `New value for ${secret.name}`, type: "password", placeholder: "new value" },
        ]}
      />
      <details>
        <summary className="button ghost small">Delete…</summary>
        <p className="small">
          Delete <span className="mono">{secret.name}</span>?{" "}
          {secret.usedBy.length > 0 ? `Runs of ${secret.usedBy.join(", ")} will be refused until it is set again.` : "No runbook uses it."}
        </p>
        <ActionForm
          action={deleteSecretAction}
          layout="inline"
          submit={`Delete ${secret.name}`}
          buttonClass="button danger small"
          fields={[{ name: "name", type: "hidden", defaultValue: secret.name }]}
        />
      </details>
    </>
  );
}

export default async function SecretsPage() {
  const actor = await requireActor("/admin/secrets");
  const loaded = await pageData(listSecrets(actor));
  if (!loaded.ok) return <Denied message={loaded.error} />;
  const { secrets, missing, currentKeyId } = loaded.data;
  const ability = await abilityFor(actor);
  const canManage = (name: string) => ability.can("manage", asSecret({ name }));
  const canSet = ability.can("manage", "Secret");
  return (
    <>
      <div className="page-head">
        <h1>Secrets</h1>
        <p className="muted">
          Values runbooks receive as environment variables (<span className="mono">env: {"{ PD_TOKEN: { secret: pagerduty-token } }"}</span>). They are
          encrypted at rest and write-only: nobody can read one back here, in the API or in the audit log. Current key:{" "}
          <span className="mono">{currentKeyId ?? "none — HANDRAIL_SECRET_KEY is not set"}</span>.
        </p>
      </div>
      <div className={canSet ? "columns" : undefined}>
        <div>
          {secrets.length === 0 ? (
            <p className="empty">No secrets yet.</p>
          ) : (
            <table className="table" data-testid="secrets-table">
              <thead>
                <tr>
                  <th>Secret</th>
                  <th>Key</th>
                  <th>Updated</th>
                  <th>Used by</th>
                  <th></th>
                </tr>
              </thead>
              <tbody>
                {secrets.map((secret) => (
                  <tr key={secret.name} data-secret={secret.name}>
                    <td>
                      <div className="mono">{secret.name}</div>
                      {secret.description ? <div className="small muted">{secret.description}</div> : null}
                    </td>
                    <td>
                      <div className="mono small">{secret.keyId}</div>
                      {keyNotes[secret.key] ? <div className="small field-error">{keyNotes[secret.key]}</div> : null}
                    </td>
                    <td>
                      <div className="small nowrap">{formatTime(secret.updatedAt)}</div>
                      <div className="small muted">{secret.updatedBy}</div>
                    </td>
                    <td>
                      <UsedBy slugs={secret.usedBy} />
                    </td>
                    <td>{canManage(secret.name) ? <Manage secret={secret} /> : null}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {missing.length > 0 ? (
            <>
              <h2>Referenced but not set</h2>
              <p className="muted small">Runs of these runbooks are refused until the secret is set.</p>
              <table className="table" data-testid="missing-secrets-table">
                <tbody>
                  {missing.map((secret) => (
                    <tr key={secret.name} data-missing-secret={secret.name}>
                      <td className="mono">{secret.name}</td>
                      <td>
                        <UsedBy slugs={secret.usedBy} />
                      </td>
                      <td>
                        {canManage(secret.name) ? (
                          <ActionForm
                            action={setSecretAction}
                            layout="inline"
                            submit="Set"
                            fields={[
                              { name: "name", type: "hidden", defaultValue: secret.name },
                              { name: "value", label: `Value for ${secret.name}`, type: "password", placeholder: "value" },
                            ]}
                          />
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
        </div>
        {canSet ? (
          <section className="panel">
            <h2>Set a secret</h2>
            <ActionForm
              action={setSecretAction}
              submit="Save secret"
              testId="set-secret"
              fields={[
                { name: "name", label: "Name", type: "text", placeholder: "pagerduty-token", help: "Letters, digits, '.', '_' or '-'. An existing name has its value replaced." },
                { name: "description", label: "Description", type: "text", help: "Optional. Replacing a value with this form also replaces the description." },
                { name: "value", label: "Value", type: "password", help: "Encrypted at once and never shown again. At most 64 KiB; for several lines use handrail secrets set." },
              ]}
            />
          </section>
        ) : null}
      </div>
    </>
  );
}
