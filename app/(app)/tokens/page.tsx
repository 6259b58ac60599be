import type { Metadata } from "next";
import { pageData } from "@/lib/api/page-data";
import { requireActor } from "@/lib/auth/current-actor";
import { listTokens } from "@/lib/services/tokens/list-tokens";
import { Denied } from "../../components/denied";
import { formatTime } from "../../components/format";
import { ActionForm } from "../admin/users/action-form";
import { createTokenAction, revokeTokenAction } from "./actions";

export const metadata: Metadata = { title: "API tokens" };
export const dynamic = "force-dynamic";

export default async function TokensPage() {
  const actor = await requireActor("/tokens");
  const loaded = await pageData(listTokens(actor, { email: actor.user.email }));
  if (!loaded.ok) return <Denied message={loaded.error} />;
  const tokens = loaded.data;
  return (
    <>
      <div className="page-head">
        <h1>API tokens</h1>
        <p className="muted">
          Tokens let the CLI and automation act as you (<span className="mono">Authorization: Bearer …</span>). Only a hash is
          stored; revoke a token the moment you no longer need it.
        </p>
      </div>
      <div className="columns">
        <div>
          {tokens.length === 0 ? (
            <p className="empty">You have no API tokens.</p>
          ) : (
            <table className="table" data-testid="tokens-table">
              <thead>
                <tr>
                  <th>Label</th>
                  <th>Prefix</th>
                  <th>Created</th>
                  <th>Last used</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((token) => (
                  <tr key={token.id} data-label={token.label}>
                    <td>{token.label}</td>
                    <td className="mono">{token.prefix}…</td>
                    <td className="nowrap small">{formatTime(token.createdAt)}</td>
                    <td className="nowrap small">{formatTime(token.lastUsedAt)}</td>
                    <td className="nowrap">
                      {token.revokedAt ? (
                        <span className="badge status-cancelled" title={formatTime(token.revokedAt)}>
                          revoked
                        </span>
                      ) : (
                        <ActionForm
                          action={revokeTokenAction}
                          layout="inline"
                          submit="Revoke"
                          buttonClass="button danger small"
                          fields={[{ name: "id", type: "hidden", defaultValue: token.id }]}
                          label={<span className="badge status-succeeded">active</span>}
                        />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <section className="panel">
          <h2>Create a token</h2>
          <ActionForm
            action={createTokenAction}
            submit="Create token"
            testId="create-token"
            fields={[{ name: "label", label: "Label", type: "text", placeholder: "laptop CLI", help: "What the token is for." }]}
          />
        </section>
      </div>
    </>
  );
}
