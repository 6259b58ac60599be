import type { Metadata } from "next";
import { pageData } from "@/lib/api/page-data";
import { requireActor } from "@/lib/auth/current-actor";
import { scopeDescriptions } from "@/lib/policy/scopes";
import { listTokens } from "@/lib/services/tokens/list-tokens";
import { tokenChoicesFor } from "@/lib/services/tokens/token-choices";
import type { TokenDto } from "@/lib/services/tokens/token-dto";
import { Denied } from "../../components/denied";
import { formatTime as formatTimeOf } from "../../components/format";
import { ActionForm } from "../admin/users/action-form";
import { createTokenAction, revokeTokenAction } from "./actions";

export const metadata: Metadata = { title: "API tokens" };
export const dynamic = "force-dynamic";

const lifetimes = [7, 30, 90, 180, 365];

/** "2026-12-03 22:18 UTC": the full time is in the cell's title. */
const minutes = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

function TokenStatus({ token }: { token: TokenDto }) {
  if (token.revokedAt) {
    return (
      <span className="badge status-cancelled" title={formatTimeOf(token.revokedAt)}>
        revoked
      </span>
    );
  }
  const status = token.expired ? <span className="badge status-cancelled">expired</span> : <span className="badge status-succeeded">active</span>;
  return (
    <ActionForm
      action={revokeTokenAction}
      layout="inline"
      submit="Revoke"
      buttonClass="button danger small"
      fields={[{ name: "id", type: "hidden", defaultValue: token.id }]}
      label={status}
    />
  );
}

function TokensTable({ tokens, showOwner, testId }: { tokens: TokenDto[]; showOwner: boolean; testId: string }) {
  return (
    <div className="table-scroll">
      <table className="table" data-testid={testId}>
        <thead>
          <tr>
            <th>{showOwner ? "Label, account" : "Label"}</th>
            <th>Scopes</th>
            <th>Lifetime</th>
            <th>Last used</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <tr key={token.id} data-label={token.label}>
              <td>
                <div>{token.label}</div>
                <div className="mono small muted">{token.prefix}…</div>
                {showOwner ? <div className="mono small">{token.user.email.replace(/@service\.invalid$/, "")}</div> : null}
              </td>
              <td className="scopes">
                {token.scopes.map((scope) => (
                  <span key={scope} className="tag" title={scopeDescriptions[scope]}>
                    {scope}
                  </span>
                ))}
              </td>
              <td className="nowrap small">
                <div className="muted" title={formatTimeOf(token.createdAt)}>
                  made {minutes(token.createdAt)}
                </div>
                <div data-testid="token-expires" title={formatTimeOf(token.expiresAt)}>
                  {token.expired ? "expired" : "expires"} {minutes(token.expiresAt)}
                </div>
              </td>
              <td className="small" data-testid="token-last-used">
                {token.lastUsedAt ? (
                  <>
                    <div className="nowrap" title={formatTimeOf(token.lastUsedAt)}>
                      {minutes(token.lastUsedAt)}
                    </div>
                    <div className="mono muted">{token.lastUsedIp ?? "address unknown"}</div>
                  </>
                ) : (
                  <span className="muted">never</span>
                )}
              </td>
              <td className="nowrap">
                <TokenStatus token={token} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default async function TokensPage() {
  const actor = await requireActor("/tokens");
  const loaded = await pageData(Promise.all([listTokens(actor), tokenChoicesFor(actor)]));
  if (!loaded.ok) return <Denied message={loaded.error} />;
  const [visible, choices] = loaded.data;
  const mine = visible.filter((token) => token.user.id === actor.user.id);
  const serviceTokens = visible.filter((token) => token.user.kind === "service");
  const days = [...new Set([...lifetimes.filter((value) => value < choices.maxDays), choices.maxDays])];
  const owners = [actor.user.email, ...choices.serviceAccounts.map((account) => account.email)];
  return (
    <>
      <div className="page-head">
        <h1>API tokens</h1>
        <p className="muted">
          Tokens let the CLI and automation act as you (<span className="mono">Authorization: Bearer …</span>), limited to their
          scopes and never beyond your current rights. Only a hash is stored; every token expires, and you can revoke one at any time.
        </p>
      </div>
      <div className="columns">
        <div>
          {mine.length === 0 ? <p className="empty">You have no API tokens.</p> : <TokensTable tokens={mine} showOwner={false} testId="tokens-table" />}
          {serviceTokens.length > 0 ? (
            <>
              <h2>Service account tokens</h2>
              <TokensTable tokens={serviceTokens} showOwner testId="service-tokens-table" />
            </>
          ) : null}
        </div>
        <section className="panel">
          <h2>Create a token</h2>
          <ActionForm
            action={createTokenAction}
            submit="Create token"
            testId="create-token"
            fields={[
              { name: "label", label: "Label", type: "text", placeholder: "laptop CLI", help: "What the token is for." },
              ...(owners.length > 1
                ? [
                    {
                      name: "email",
                      label: "For",
                      type: "select" as const,
                      options: owners,
                      optionLabels: { [actor.user.email]: `yourself (${actor.user.email})` },
                      defaultValue: actor.user.email,
                      help: "Service accounts act only through tokens; they are marked as such in the audit log.",
                    },
                  ]
                : []),
              {
                name: "expiresInDays",
                label: "Expires in",
                type: "select",
                options: days.map(String),
                optionLabels: Object.fromEntries(days.map((value) => [String(value), `${value} days`])),
                defaultValue: String(choices.defaultDays),
                help: `At most ${choices.maxDays} days (HANDRAIL_TOKEN_MAX_DAYS). A webhook event (token.expiring) is sent a week before.`,
              },
              {
                name: "scopes",
                label: "Scopes",
                type: "checkboxes",
                options: choices.scopes,
                optionHelp: scopeDescriptions,
                help: `Leave all unchecked for every scope your rights allow (${choices.scopes.join(", ")}). Every scope can read.`,
              },
            ]}
          />
        </section>
      </div>
    </>
  );
}
