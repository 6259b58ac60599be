import type { Metadata } from "next";
import Link from "next/link";
import { pageData } from "@/lib/api/page-data";
import { requireActor } from "@/lib/auth/current-actor";
import { scheduleMisfirePolicies, scheduleOverlapPolicies } from "@/lib/schedule-policies";
import { listRunbooks } from "@/lib/services/runbooks/list-runbooks";
import { listSchedules } from "@/lib/services/schedules/read-schedules";
import type { ScheduleDto } from "@/lib/services/schedules/schedule-dto";
import { Denied } from "../../components/denied";
import { formatTime } from "../../components/format";
import { ActionForm, type FieldSpec } from "../admin/users/action-form";
import { approveScheduleAction, createScheduleAction, deleteScheduleAction, pauseScheduleAction, resumeScheduleAction, updateScheduleAction } from "./actions";

export const metadata: Metadata = { title: "Schedules" };
export const dynamic = "force-dynamic";

/** "2026-12-05 03:00 UTC": the full time is in the cell's title. */
const minutes = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

function When({ schedule }: { schedule: ScheduleDto }) {
  if (schedule.cron === null) return <span title={formatTime(schedule.runAt ?? "")}>once, {minutes(schedule.runAt ?? "")}</span>;
  return (
    <>
      <span className="mono">{schedule.cron}</span>
      <div className="muted small">{schedule.timeZone}</div>
    </>
  );
}

function LastFire({ schedule }: { schedule: ScheduleDto }) {
  const fire = schedule.lastFire;
  if (!fire) return <span className="muted nowrap">not yet</span>;
  return (
    <>
      <div className="nowrap small" title={formatTime(fire.at)}>
        {minutes(fire.at)}
      </div>
      {fire.runId ? (
        <Link href={`/runs/${fire.runId}`} className={`badge status-${fire.runStatus ?? "queued"}`}>
          #{fire.runId} {fire.runStatus?.replace("_", " ")}
        </Link>
      ) : (
        <span className="badge status-cancelled" title={fire.message ?? ""}>
          {fire.outcome}
        </span>
      )}
    </>
  );
}

/** The settings a schedule is created or changed with; filled in with the schedule's own when changing it. */
function settingsFields(schedule?: ScheduleDto): FieldSpec[] {
  const value = (text: string | null | undefined) => (text ? { defaultValue: text } : {});
  return [
    { name: "when", label: "When", type: "text", placeholder: "0 3 * * *", help: "Five cron fields (minute hour day month weekday), or a time for once: 2026-12-24T08:00:00+01:00.", ...value(schedule ? (schedule.cron ?? schedule.runAt) : null) },
    { name: "timeZone", label: "Time zone", type: "text", defaultValue: schedule?.timeZone ?? "UTC", help: "An IANA name, such as Europe/Berlin." },
    { name: "params", label: "Parameters", type: "text", placeholder: '{"host": "example.com"}', help: "A JSON object; secret parameters cannot be scheduled.", ...value(schedule && Object.keys(schedule.params).length > 0 ? JSON.stringify(schedule.params) : null) },
    { name: "reason", label: "Reason", type: "text", help: "Medium and high risk runbooks need one; every run carries it.", ...value(schedule?.reason) },
    { name: "confirm", label: "Confirmation", type: "text", help: "High risk only: what a run would ask you to type (the runbook's slug, or the value it names)." },
    { name: "misfire", label: "After downtime", type: "select", options: [...scheduleMisfirePolicies], optionLabels: { skip: "skip what was missed", runOnce: "run once to catch up" }, defaultValue: schedule?.misfire ?? "skip" },
    { name: "overlap", label: "If the last run is still going", type: "select", options: [...scheduleOverlapPolicies], optionLabels: { skip: "skip this fire", queue: "queue behind it", allow: "run alongside" }, defaultValue: schedule?.overlap ?? "skip" },
  ];
}

const awaitsApproval = (schedule: ScheduleDto) => schedule.approval !== null && schedule.approval.approvedAt === null;

function Controls({ schedule, viewerId }: { schedule: ScheduleDto; viewerId: string }) {
  const id = [{ name: "id", type: "hidden" as const, defaultValue: String(schedule.id) }];
  return (
    <div className="row-actions">
      {awaitsApproval(schedule) && schedule.owner.id !== viewerId ? (
        <ActionForm action={approveScheduleAction} layout="inline" submit="Approve" buttonClass="button primary small" fields={id} />
      ) : null}
      {schedule.paused ? (
        schedule.canManage ? <ActionForm action={resumeScheduleAction} layout="inline" submit="Resume" buttonClass="button small" fields={id} /> : null
      ) : (
        <ActionForm action={pauseScheduleAction} layout="inline" submit="Pause" buttonClass="button small" fields={id} />
      )}
      {schedule.canManage && schedule.definedIn === "api" ? <ActionForm action={deleteScheduleAction} layout="inline" submit="Delete" buttonClass="button danger small" fields={id} /> : null}
      {schedule.canManage && schedule.definedIn === "api" ? (
        <details className="schedule-edit" data-testid="schedule-edit">
          <summary className="button small">Change…</summary>
          <ActionForm
            action={updateScheduleAction}
            submit="Save changes"
            fields={[
              ...id,
              { name: "wasWhen", type: "hidden", defaultValue: schedule.cron ?? schedule.runAt ?? "" },
              { name: "wasTimeZone", type: "hidden", defaultValue: schedule.timeZone },
              ...settingsFields(schedule),
            ]}
          />
        </details>
      ) : null}
    </div>
  );
}

function SchedulesTable({ schedules, viewerId }: { schedules: ScheduleDto[]; viewerId: string }) {
  return (
    <div className="table-scroll">
      <table className="table cells-top" data-testid="schedules-table">
        <thead>
          <tr>
            <th>Runbook, schedule</th>
            <th>When</th>
            <th>Next</th>
            <th>Last fire</th>
            <th>Owner</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {schedules.map((schedule) => (
            <tr key={schedule.id} data-schedule={schedule.name}>
              <td>
                <Link href={`/runbooks/${schedule.runbook}`}>{schedule.runbook}</Link>
                <div className="mono small">{schedule.name}</div>
                {schedule.definedIn === "runbook" ? <div className="small muted">in the runbook&apos;s file</div> : null}
                {Object.keys(schedule.params).length > 0 ? <div className="mono small muted schedule-params">{JSON.stringify(schedule.params)}</div> : null}
              </td>
              <td>
                <When schedule={schedule} />
              </td>
              <td className="small" data-testid="schedule-upcoming">
                {schedule.paused ? <div className="muted">paused</div> : null}
                {schedule.upcoming.slice(0, schedule.paused ? 0 : 3).map((time) => (
                  <div key={time} className="nowrap" title={formatTime(time)}>
                    {minutes(time)}
                  </div>
                ))}
                {!schedule.paused && schedule.upcoming.length > 3 ? (
                  <div className="muted" title={schedule.upcoming.slice(3).map(minutes).join("\n")}>
                    +{schedule.upcoming.length - 3} more
                  </div>
                ) : null}
              </td>
              <td>
                <LastFire schedule={schedule} />
              </td>
              <td className="small">{schedule.owner.email}</td>
              <td>
                {schedule.paused ? (
                  <span className="badge status-cancelled" title={schedule.paused.reason ?? ""} data-testid="schedule-paused">
                    paused
                  </span>
                ) : awaitsApproval(schedule) ? (
                  <span className="badge status-pending_approval" data-testid="schedule-awaits-approval">
                    waiting for approval
                  </span>
                ) : (
                  <span className="badge status-succeeded">active</span>
                )}
                {schedule.paused?.reason ? <div className="small muted">{schedule.paused.reason}</div> : null}
                <Controls schedule={schedule} viewerId={viewerId} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default async function SchedulesPage() {
  const actor = await requireActor("/schedules");
  const loaded = await pageData(Promise.all([listSchedules(actor), listRunbooks(actor)]));
  if (!loaded.ok) return <Denied message={loaded.error} />;
  const [schedules, runbooks] = loaded.data;
  const runnable = runbooks.filter((runbook) => runbook.canRun).map((runbook) => runbook.slug);
  return (
    <>
      <div className="page-head">
        <h1>Schedules</h1>
        <p className="muted">
          Runbooks run on a cron expression or once, as the schedule&apos;s owner, authorised at each fire. A fire its owner may no longer make pauses
          the schedule. See <span className="mono">docs/schedules.md</span>.
        </p>
      </div>
      {schedules.length === 0 ? <p className="empty">No schedules you can see.</p> : <SchedulesTable schedules={schedules} viewerId={actor.user.id} />}
      {runnable.length > 0 ? (
        <section className="panel form-panel">
          <h2>New schedule</h2>
          <ActionForm
            action={createScheduleAction}
            submit="Create schedule"
            testId="create-schedule"
            fields={[
              { name: "runbook", label: "Runbook", type: "select", options: runnable, help: "For a runbook whose runs need approval, someone else approves the schedule before it fires." },
              { name: "name", label: "Name", type: "text", placeholder: "nightly", help: "Lower-case letters, digits and dashes." },
              ...settingsFields(),
            ]}
          />
        </section>
      ) : null}
    </>
  );
}
