import { parseArgs } from "node:util";
import { listTokens } from "../../services/tokens/list-tokens";
import { revokeToken } from "../../services/tokens/revoke-token";
import { issueToken, type IssueTokenInput } from "../../services/tokens/issue-token";
import { cliActor, openMigrated, requiredOption, type CliCommand } from "../support";
import { columns } from "./users";
import { asSystemCaller } from "../../services/caller";

const systemCaller = () => asSystemCaller(cliActor());

const day = (iso: string | null) => (iso ? iso.replace("T", " ").slice(0, 16) : "-");

export const tokenCommands: CliCommand[] = [
  {
    name: "token create",
    usage:
      "token create --email E [--label L] [--scopes read,run,approve,author,admin] [--expires-in-days N]\n" +
      "                                            create an API token (default: every scope the user's rights allow,\n" +
      "                                            90 days); prints it as the last line",
    async run(args) {
      const { values } = parseArgs({
        args,
        options: { email: { type: "string" }, label: { type: "string" }, scopes: { type: "string" }, "expires-in-days": { type: "string" } },
      });
      await openMigrated();
      const scopes = values.scopes?.split(",").map((scope) => scope.trim()).filter(Boolean);
      const created = await issueToken(systemCaller(), {
        email: requiredOption(values, "email"),
        label: values.label ?? "cli",
        ...(scopes ? { scopes: scopes as IssueTokenInput["scopes"] } : {}),
        ...(values["expires-in-days"] !== undefined ? { expiresInDays: values["expires-in-days"] } : {}),
      });
      console.log(
        `token for ${created.email} (label "${created.label}", id ${created.id}, scopes ${created.scopes.join(",")}, expires ${day(created.expiresAt)}); shown once, only its hash is stored:`,
      );
      console.log(created.token);
    },
  },
  {
    name: "token list",
    usage: "token list [--email E]                    list API tokens (never the tokens themselves)",
    async run(args) {
      const { values } = parseArgs({ args, options: { email: { type: "string" } } });
      await openMigrated();
      const tokens = await listTokens(systemCaller(), values.email === undefined ? {} : { email: values.email });
      if (tokens.length === 0) {
        console.log("no tokens");
        return;
      }
      console.log(
        columns([
          ["ID", "USER", "LABEL", "PREFIX", "SCOPES", "CREATED", "EXPIRES", "LAST USED", "FROM", "REVOKED"],
          ...tokens.map((token) => [
            token.id,
            token.user.kind === "service" ? `${token.user.email} (service)` : token.user.email,
            token.label,
            `${token.prefix}…`,
            token.scopes.join(","),
            day(token.createdAt),
            token.expired ? `${day(token.expiresAt)} (expired)` : day(token.expiresAt),
            day(token.lastUsedAt),
            token.lastUsedIp ?? "-",
            day(token.revokedAt),
          ]),
        ]),
      );
    },
  },
  {
    name: "token revoke",
    usage: "token revoke --id ID                      revoke an API token at once",
    async run(args) {
      const { values } = parseArgs({ args, options: { id: { type: "string" } } });
      const id = requiredOption(values, "id");
      await openMigrated();
      const token = await revokeToken(systemCaller(), { id });
      console.log(`revoked token ${token.prefix}… ("${token.label}") of ${token.user.email}`);
    },
  },
];
