import { parseArgs } from "node:util";
import { listTokens } from "../../services/tokens/list-tokens";
import { revokeToken } from "../../services/tokens/revoke-token";
import { createToken } from "../../services/tokens/tokens";
import { cliActor, openMigrated, requiredOption, type CliCommand } from "../support";
import { columns } from "./users";
import { asSystemCaller } from "../../services/users/caller";

const systemCaller = () => asSystemCaller(cliActor());

const day = (iso: string | null) => (iso ? iso.replace("T", " ").slice(0, 16) : "-");

export const tokenCommands: CliCommand[] = [
  {
    name: "token create",
    usage: "token create --email E [--label L]        create an API token; prints it as the last line",
    async run(args) {
      const { values } = parseArgs({ args, options: { email: { type: "string" }, label: { type: "string" } } });
      const handle = await openMigrated();
      const created = await createToken(handle.db, { email: requiredOption(values, "email"), label: values.label }, cliActor());
      console.log(`token for ${created.email} (label "${created.label}", id ${created.id}); shown once, only its hash is stored:`);
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
          ["ID", "USER", "LABEL", "PREFIX", "CREATED", "LAST USED", "REVOKED"],
          ...tokens.map((token) => [token.id, token.user.email, token.label, `${token.prefix}…`, day(token.createdAt), day(token.lastUsedAt), day(token.revokedAt)]),
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
