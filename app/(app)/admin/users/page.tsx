import type { Metadata } from "next";
import { pageData } from "@/lib/api/page-data";
import { requireActor } from "@/lib/auth/current-actor";
import { listUsers } from "@/lib/services/users/list-users";
import { roles } from "@/lib/services/users/user-fields";
import { Denied } from "../../../components/denied";
import { ActionForm } from "./action-form";
import { changeRoleAction, createServiceAccountAction, createUserAction, resetPasswordAction, setActiveAction } from "./actions";

export const metadata: Metadata = { title: "Users" };
export const dynamic = "force-dynamic";

const roleOptions = [...roles];

export default async function UsersPage() {
  const actor = await requireActor("/admin/users");
  const loaded = await pageData(listUsers(actor));
  if (!loaded.ok) return <Denied message={loaded.error} />;
  const users = loaded.data;
  return (
    <>
      <div className="page-head">
        <h1>Users</h1>
        <p className="muted">
          Roles decide what each person may do; deactivating someone ends their sessions and API tokens at once. Every change is
          audited.
        </p>
      </div>
      <table className="table" data-testid="users-table">
        <thead>
          <tr>
            <th>User</th>
            <th>Role</th>
            <th>Teams</th>
            <th>Status</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => {
            const self = user.id === actor.user.id;
            return (
              <tr key={user.id} data-email={user.email}>
                <td>
                  <div>
                    {user.name} {self ? <span className="muted small">(you)</span> : null}
                    {user.kind === "service" ? (
                      <span className="tag tag-service" title="A non-human account for pipelines: no password, acts only through API tokens">
                        service account
                      </span>
                    ) : null}
                  </div>
                  <div className="mono small muted">{user.email}</div>
                </td>
                <td>
                  {self ? (
                    <span className={`role role-${user.role}`} title="you cannot change your own role">
                      {user.role}
                    </span>
                  ) : (
                    <ActionForm
                      action={changeRoleAction}
                      layout="inline"
                      submit="Change"
                      buttonClass="button ghost small"
                      fields={[
                        { name: "email", type: "hidden", defaultValue: user.email },
                        { name: "role", label: `Role of ${user.email}`, type: "select", options: roleOptions, defaultValue: user.role },
                      ]}
                    />
                  )}
                </td>
                <td>{user.teams.length ? user.teams.map((team) => <span key={team} className="tag">{team}</span>) : <span className="muted">—</span>}</td>
                <td>
                  <span className={`badge ${user.active ? "status-succeeded" : "status-cancelled"}`}>{user.active ? "active" : "deactivated"}</span>
                </td>
                <td className="nowrap">
                  {self ? (
                    <span className="small muted">you cannot deactivate yourself</span>
                  ) : (
                    <ActionForm
                      action={setActiveAction}
                      layout="inline"
                      submit={user.active ? "Deactivate" : "Reactivate"}
                      buttonClass={user.active ? "button danger small" : "button small"}
                      fields={[
                        { name: "email", type: "hidden", defaultValue: user.email },
                        { name: "active", type: "hidden", defaultValue: user.active ? "false" : "true" },
                      ]}
                    />
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="columns" style={{ marginTop: 20 }}>
        <section className="panel">
          <h2>Add a user</h2>
          <ActionForm
            action={createUserAction}
            submit="Create user"
            testId="create-user"
            fields={[
              { name: "email", label: "Email", type: "email", placeholder: "name@example.com" },
              { name: "name", label: "Name", type: "text" },
              { name: "role", label: "Role", type: "select", options: roleOptions, defaultValue: "developer" },
              { name: "password", label: "Initial password", type: "password", help: "At least 8 characters; share it privately." },
            ]}
          />
        </section>
        <section className="panel">
          <h2>Add a service account</h2>
          <p className="muted small">
            For a pipeline: no password, never signs in, acts only through API tokens you issue for it on the Tokens page. Give it
            a role and teams like anyone else.
          </p>
          <ActionForm
            action={createServiceAccountAction}
            submit="Create service account"
            testId="create-service-account"
            fields={[
              { name: "name", label: "Name", type: "text", placeholder: "ci-deploy", help: "Lower-case letters, digits and dashes." },
              { name: "description", label: "What it is for", type: "text", placeholder: "deploy pipeline" },
              { name: "role", label: "Role", type: "select", options: roleOptions, defaultValue: "developer" },
            ]}
          />
        </section>
        <section className="panel">
          <h2>Reset a password</h2>
          <ActionForm
            action={resetPasswordAction}
            submit="Set password"
            testId="reset-password"
            fields={[
              { name: "email", label: "User", type: "select", options: users.filter((user) => user.kind === "person").map((user) => user.email) },
              { name: "password", label: "New password", type: "password", help: "At least 8 characters." },
            ]}
          />
        </section>
      </div>
    </>
  );
}
