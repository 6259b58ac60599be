import { parseArgs } from "node:util";
import { addUser } from "../../services/users/add-user";
import { changeRole } from "../../services/users/change-role";
import { createServiceAccount } from "../../services/users/create-service-account";
import { deactivateUser } from "../../services/users/deactivate-user";
import { listUsers } from "../../services/users/list-users";
import { reactivateUser } from "../../services/users/reactivate-user";
import { resetPassword } from "../../services/users/reset-password";
import { cliActor, openMigrated, readStdin, requiredOption, UsageError, type CliCommand } from "../support";
import { asSystemCaller } from "../../services/caller";

const systemCaller = () => asSystemCaller(cliActor());

async function passwordOption(values: { password?: string | undefined; "password-stdin"?: boolean | undefined }): Promise<string> {
  if (values.password && values["password-stdin"]) throw new UsageError("give --password or --password-stdin, not both");
  return values["password-stdin"] ? await readStdin() : requiredOption(values, "password");
}

/** Aligns rows into columns for the terminal. */
export function columns(rows: string[][]): string {
  const widths = rows[0]?.map((_, index) => Math.max(...rows.map((row) => (row[index] ?? "").length))) ?? [];
  return rows.map((row) => row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index] ?? 0))).join("  ")).join("\n");
}

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
      const password = await passwordOption(values);
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
  {
    name: "user add-service",
    usage: "user add-service --name N --role R [--description D]\n                                            create a service account (no password; acts through API tokens)",
    async run(args) {
      const { values } = parseArgs({ args, options: { name: { type: "string" }, role: { type: "string" }, description: { type: "string" } } });
      const input = { name: requiredOption(values, "name"), role: requiredOption(values, "role") as never, ...(values.description ? { description: values.description } : {}) };
      await openMigrated();
      const account = await createServiceAccount(systemCaller(), input);
      console.log(`created service account ${account.email} (${account.role}, ${account.id}); issue a token with: handrail token create --email ${account.email}`);
    },
  },
  {
    name: "user list",
    usage: "user list                                 list users with role, teams and whether active",
    async run(args) {
      parseArgs({ args, options: {} });
      await openMigrated();
      const users = await listUsers(systemCaller());
      console.log(
        columns([
          ["EMAIL", "NAME", "KIND", "ROLE", "ACTIVE", "TEAMS"],
          ...users.map((user) => [user.email, user.name, user.kind, user.role, user.active ? "yes" : "no", user.teams.join(",") || "-"]),
        ]),
      );
    },
  },
  {
    name: "user deactivate",
    usage: "user deactivate --email E                 stop a user signing in; their tokens stop working",
    async run(args) {
      const { values } = parseArgs({ args, options: { email: { type: "string" } } });
      const email = requiredOption(values, "email");
      await openMigrated();
      const user = await deactivateUser(systemCaller(), { email });
      console.log(`deactivated ${user.email}`);
    },
  },
  {
    name: "user activate",
    usage: "user activate --email E                   let a deactivated user sign in again",
    async run(args) {
      const { values } = parseArgs({ args, options: { email: { type: "string" } } });
      const email = requiredOption(values, "email");
      await openMigrated();
      const user = await reactivateUser(systemCaller(), { email });
      console.log(`reactivated ${user.email}`);
    },
  },
  {
    name: "user set-role",
    usage: "user set-role --email E --role R          change a user's role",
    async run(args) {
      const { values } = parseArgs({ args, options: { email: { type: "string" }, role: { type: "string" } } });
      const input = { email: requiredOption(values, "email"), role: requiredOption(values, "role") as never };
      await openMigrated();
      const user = await changeRole(systemCaller(), input);
      console.log(`${user.email} is now ${user.role}`);
    },
  },
  {
    name: "user reset-password",
    usage: "user reset-password --email E [--password P | --password-stdin]\n                                            set a new password (at least 8 characters)",
    async run(args) {
      const { values } = parseArgs({
        args,
        options: { email: { type: "string" }, password: { type: "string" }, "password-stdin": { type: "boolean" } },
      });
      const email = requiredOption(values, "email");
      const password = await passwordOption(values);
      await openMigrated();
      const user = await resetPassword(systemCaller(), { email, password });
      console.log(`password reset for ${user.email}`);
    },
  },
];
