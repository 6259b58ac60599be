import { parseArgs } from "node:util";
import { addTeamMember } from "../../services/teams/add-team-member";
import { createTeam } from "../../services/teams/create-team";
import { listTeams } from "../../services/teams/list-teams";
import { removeTeamMember } from "../../services/teams/remove-team-member";
import { cliActor, openMigrated, requiredOption, type CliCommand } from "../support";
import { columns } from "./users";
import { asSystemCaller } from "../../services/caller";

const systemCaller = () => asSystemCaller(cliActor());

export const teamCommands: CliCommand[] = [
  {
    name: "team add",
    usage: "team add --name N [--description D]       create a team (lowercase letters, digits, dashes)",
    async run(args) {
      const { values } = parseArgs({ args, options: { name: { type: "string" }, description: { type: "string" } } });
      const input = { name: requiredOption(values, "name"), description: values.description };
      await openMigrated();
      const team = await createTeam(systemCaller(), input);
      console.log(`created team ${team.name} (${team.id})`);
    },
  },
  {
    name: "team add-member",
    usage: "team add-member --team T --email E        add a user to a team",
    async run(args) {
      const { values } = parseArgs({ args, options: { team: { type: "string" }, email: { type: "string" } } });
      const input = { team: requiredOption(values, "team"), email: requiredOption(values, "email") };
      await openMigrated();
      const result = await addTeamMember(systemCaller(), input);
      console.log(`added ${result.email} to ${result.team} (${result.members.length} members)`);
    },
  },
  {
    name: "team remove-member",
    usage: "team remove-member --team T --email E     remove a user from a team",
    async run(args) {
      const { values } = parseArgs({ args, options: { team: { type: "string" }, email: { type: "string" } } });
      const input = { team: requiredOption(values, "team"), email: requiredOption(values, "email") };
      await openMigrated();
      const result = await removeTeamMember(systemCaller(), input);
      console.log(`removed ${result.email} from ${result.team} (${result.members.length} members)`);
    },
  },
  {
    name: "team list",
    usage: "team list                                 list teams and their members",
    async run(args) {
      parseArgs({ args, options: {} });
      await openMigrated();
      const teams = await listTeams(systemCaller());
      if (teams.length === 0) {
        console.log("no teams");
        return;
      }
      console.log(
        columns([
          ["TEAM", "MEMBERS", "DESCRIPTION"],
          ...teams.map((team) => [team.name, team.members.map((member) => member.email).join(",") || "-", team.description]),
        ]),
      );
    },
  },
];
