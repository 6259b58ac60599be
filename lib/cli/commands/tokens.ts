import { parseArgs } from "node:util";
import { createToken } from "../../services/tokens/tokens";
import { cliActor, openMigrated, requiredOption, type CliCommand } from "../support";

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
];
