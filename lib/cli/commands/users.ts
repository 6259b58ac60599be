import { parseArgs } from "node:util";
import { addUser } from "../../services/users/add-user";
import { cliActor, openMigrated, readStdin, requiredOption, UsageError, type CliCommand } from "../support";

export const userCommands: CliCommand[] = [
  {
    name: "user add",
    usage: "user add --email E --name N --role R [--password P | --password-stdin]\n                                            create a user (roles: admin, operator, developer, auditor)",
    async run(args) {
      const { values } = parseArgs({
        args,
        options: {
          email: { type: "string" },
          name: { type: "string" },
          role: { type: "string" },
          password: { type: "string" },
          "password-stdin": { type: "boolean" },
        },
      });
      if (values.password && values["password-stdin"]) throw new UsageError("give --password or --password-stdin, not both");
      const password = values["password-stdin"] ? await readStdin() : requiredOption(values, "password");
      const input = {
        email: requiredOption(values, "email"),
        name: requiredOption(values, "name"),
        role: requiredOption(values, "role") as never,
        password,
      };
      const handle = await openMigrated();
      const user = await addUser(handle.db, input, cliActor());
      console.log(`created ${user.role} ${user.email} (${user.id})`);
    },
  },
];
