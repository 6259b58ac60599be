import type { Metadata } from "next";
import { pageData } from "@/lib/api/page-data";
import { requireActor } from "@/lib/auth/current-actor";
import { listTeams } from "@/lib/services/teams/list-teams";
import { listUsers } from "@/lib/services/users/list-users";
import { Denied } from "../../../components/denied";
import { ActionForm } from "../users/action-form";
import { addMemberAction, createTeamAction, removeMemberAction } from "./actions";

export const metadata: Metadata = { title: "Teams" };
export const dynamic = "force-dynamic";

export default async function TeamsPage() {
  const actor = await requireActor("/admin/teams");
  // One after the other: someone who may not manage teams is told that, and only that is recorded.
  const loadedTeams = await pageData(listTeams(actor));
  if (!loadedTeams.ok) return <Denied message={loadedTeams.error} />;
  const loadedUsers = await pageData(listUsers(actor));
  if (!loadedUsers.ok) return <Denied message={loadedUsers.error} />;
  const [teams, users] = [loadedTeams.data, loadedUsers.data];
  const activeEmails = users.filter((user) => user.active).map((user) => user.email);
  return (
    <>
      <div className="page-head">
        <h1>Teams</h1>
        <p className="muted">A runbook&apos;s owner names a team, and policies can grant access by team. Every change is audited.</p>
      </div>
      <div className="columns">
        <div>
          {teams.length === 0 ? (
            <p className="empty">No teams yet.</p>
          ) : (
            <table className="table" data-testid="teams-table">
              <thead>
                <tr>
                  <th>Team</th>
                  <th>Members</th>
                  <th>Add a member</th>
                </tr>
              </thead>
              <tbody>
                {teams.map((team) => (
                  <tr key={team.id} data-team={team.name}>
                    <td>
                      <div className="mono">{team.name}</div>
                      {team.description ? <div className="small muted">{team.description}</div> : null}
                    </td>
                    <td>
                      {team.members.length === 0 ? <span className="muted">—</span> : null}
                      {team.members.map((member) => (
                        <ActionForm
                          key={member.email}
                          action={removeMemberAction}
                          layout="inline"
                          submit="Remove"
                          buttonClass="button ghost small"
                          fields={[
                            { name: "team", type: "hidden", defaultValue: team.name },
                            { name: "email", type: "hidden", defaultValue: member.email },
                          ]}
                          label={
                            <span className={member.active ? "small" : "small muted"} title={member.name}>
                              {member.email}
                              {member.active ? "" : " (deactivated)"}
                            </span>
                          }
                        />
                      ))}
                    </td>
                    <td>
                      <ActionForm
                        action={addMemberAction}
                        layout="inline"
                        submit="Add"
                        fields={[
                          { name: "team", type: "hidden", defaultValue: team.name },
                          {
                            name: "email",
                            label: `Add a member to ${team.name}`,
                            type: "select",
                            options: activeEmails.filter((email) => !team.members.some((member) => member.email === email)),
                          },
                        ]}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <section className="panel">
          <h2>Create a team</h2>
          <ActionForm
            action={createTeamAction}
            submit="Create team"
            testId="create-team"
            fields={[
              { name: "name", label: "Name", type: "text", placeholder: "platform", help: "Lowercase letters, digits and dashes." },
              { name: "description", label: "Description", type: "text" },
            ]}
          />
        </section>
      </div>
    </>
  );
}
