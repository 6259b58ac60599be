import type { RunEventName, RunEventPayload } from "./run-events";
import type { WebhookTestPayload } from "./test-event";
import type { TokenExpiringPayload } from "./token-events";
import type { SchedulePausedPayload } from "./schedule-events";
import type { ViewStatusChangedPayload } from "./view-events";
import type { DeliveryPayload } from "./delivery-body";

/** The subset of Slack's Block Kit an incoming webhook accepts that these messages use. */
interface SlackText {
  type: "mrkdwn" | "plain_text";
  text: string;
}
export type SlackBlock =
  | { type: "header"; text: SlackText }
  | { type: "section"; text?: SlackText; fields?: SlackText[] }
  | { type: "context"; elements: SlackText[] };

export interface SlackMessage {
  /** The notification and fallback text; the blocks carry the detail. */
  text: string;
  blocks: SlackBlock[];
}

const headlines: Record<RunEventName, { emoji: string; phrase: string }> = {
  "run.requested": { emoji: ":arrow_forward:", phrase: "was requested" },
  "run.approval_needed": { emoji: ":raised_hand:", phrase: "needs approval" },
  "run.approved": { emoji: ":white_check_mark:", phrase: "was approved" },
  "run.rejected": { emoji: ":no_entry_sign:", phrase: "was rejected" },
  "run.expired": { emoji: ":hourglass:", phrase: "expired waiting for approval" },
  "run.finished": { emoji: ":checkered_flag:", phrase: "finished" },
  "run.failed": { emoji: ":x:", phrase: "failed" },
  "run.break_glass": { emoji: ":rotating_light:", phrase: "was started with BREAK-GLASS" },
  "run.waiting": { emoji: ":bust_in_silhouette:", phrase: "waits for a person" },
};

/** Slack treats &, < and > as control characters in mrkdwn; user text is escaped and kept short. */
function escape(text: string, max = 300): string {
  const short = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return short.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const mrkdwn = (text: string): SlackText => ({ type: "mrkdwn", text });
const field = (label: string, value: string): SlackText => mrkdwn(`*${label}*\n${value}`);

function runFields(payload: RunEventPayload): SlackText[] {
  const { run } = payload;
  const status = run.exitCode === undefined || run.exitCode === null ? run.status : `${run.status} (exit ${run.exitCode})`;
  const fields = [
    field("Runbook", `${escape(run.runbook.title, 100)} (\`${escape(run.runbook.slug, 100)}\`)`),
    field("Risk", escape(run.risk, 20)),
    field("Requested by", `${escape(run.requestedBy.name, 100)} (${escape(run.requestedBy.email, 100)})`),
    field("Status", escape(status, 60)),
  ];
  if (run.reason) fields.push(field("Reason", escape(run.reason)));
  if (run.ticket) fields.push(field("Ticket", escape(run.ticket, 100)));
  if (run.decidedBy) fields.push(field("Decided by", `${escape(run.decidedBy.name, 100)} (${escape(run.decidedBy.email, 100)})`));
  if (run.comment) fields.push(field("Comment", escape(run.comment)));
  if (run.errorMessage) fields.push(field("Error", escape(run.errorMessage)));
  if (run.dryRun) fields.push(field("Dry run", "yes: nothing was changed"));
  return fields.slice(0, 10);
}

function runMessage(payload: RunEventPayload): SlackMessage {
  const { run } = payload;
  const { emoji } = headlines[payload.event];
  const phrase = run.step ? `${run.step.needs === "approval" ? "waits for approval" : headlines[payload.event].phrase}: step "${escape(run.step.title, 100)}"` : headlines[payload.event].phrase;
  const title = escape(run.runbook.title, 100);
  const who = escape(run.requestedBy.name, 100);
  const breakGlass = run.breakGlass ?? (payload.event === "run.break_glass" ? { justification: "", incident: "" } : null);
  const blocks: SlackBlock[] = [];
  let text = `${emoji} Run #${run.id} of ${title} ${phrase} (${escape(run.risk, 20)} risk, requested by ${who})`;
  if (breakGlass) {
    text = `:rotating_light: BREAK-GLASS: run #${run.id} of ${title} by ${who}${breakGlass.incident ? ` for incident ${escape(breakGlass.incident, 100)}` : ""} (${headlines[payload.event].phrase})`;
    blocks.push({ type: "header", text: { type: "plain_text", text: `🚨 BREAK-GLASS: ${run.runbook.title}`.slice(0, 150) } });
    blocks.push({
      type: "section",
      text: mrkdwn(`*Emergency use, approvals bypassed.*\n*Incident:* ${escape(breakGlass.incident || "—", 100)}\n*Justification:* ${escape(breakGlass.justification || "—")}`),
    });
  }
  blocks.push({ type: "section", text: mrkdwn(`${emoji} <${payload.url}|Run #${run.id}> of *${title}* ${phrase}`), fields: runFields(payload) });
  blocks.push({ type: "context", elements: [mrkdwn(`\`${payload.event}\` · <${payload.url}|Open run #${run.id} in Handrail>`)] });
  return { text, blocks };
}

function testMessage(payload: WebhookTestPayload): SlackMessage {
  const text = `:wave: Handrail test delivery for webhook "${escape(payload.webhook.name, 100)}": it works.`;
  return {
    text,
    blocks: [
      { type: "section", text: mrkdwn(`${text}\n${escape(payload.message)}`) },
      { type: "context", elements: [mrkdwn(`\`${payload.event}\` · <${payload.url}|Open the webhook in Handrail>`)] },
    ],
  };
}

function tokenExpiringMessage(payload: TokenExpiringPayload): SlackMessage {
  const { token } = payload;
  const owner = `${escape(token.user.name, 100)} (${escape(token.user.email, 100)})${token.user.serviceAccount ? ", a service account" : ""}`;
  const text = `:hourglass: API token "${escape(token.label, 100)}" (${escape(token.prefix, 20)}…) of ${owner} expires at ${token.expiresAt}`;
  return {
    text,
    blocks: [
      { type: "section", text: mrkdwn(`${text}. Create a replacement and update whatever uses it.`) },
      { type: "context", elements: [mrkdwn(`\`${payload.event}\` · <${payload.url}|Open API tokens in Handrail>`)] },
    ],
  };
}

function schedulePausedMessage(payload: SchedulePausedPayload): SlackMessage {
  const { schedule } = payload;
  const text = `:double_vertical_bar: Schedule "${escape(schedule.name, 60)}" of ${escape(schedule.runbook.slug, 100)} (owner ${escape(schedule.owner.email, 100)}) is paused: its fire at ${schedule.fireAt} was refused`;
  return {
    text,
    blocks: [
      { type: "section", text: mrkdwn(`${text}.\n${escape(schedule.reason)}`) },
      { type: "context", elements: [mrkdwn(`\`${payload.event}\` · <${payload.url}|Open the schedule in Handrail>`)] },
    ],
  };
}

const statusEmoji: Record<string, string> = { ok: ":large_green_circle:", warn: ":large_yellow_circle:", critical: ":red_circle:", unknown: ":white_circle:" };

function viewStatusChangedMessage(payload: ViewStatusChangedPayload): SlackMessage {
  const { view } = payload;
  const text = `${statusEmoji[view.to] ?? ""} ${escape(view.runbook.title, 100)} is ${view.to} (was ${view.from})`;
  return {
    text,
    blocks: [
      { type: "section", text: mrkdwn(view.headline ? `${text}: ${escape(view.headline, 200)}` : text) },
      { type: "context", elements: [mrkdwn(`\`${payload.event}\` · <${payload.url}|Open the dashboard in Handrail>`)] },
    ],
  };
}

/** A message a Slack incoming webhook accepts as is. */
export function slackMessage(payload: DeliveryPayload): SlackMessage {
  if (payload.event === "webhook.test") return testMessage(payload);
  if (payload.event === "token.expiring") return tokenExpiringMessage(payload);
  if (payload.event === "schedule.paused") return schedulePausedMessage(payload);
  if (payload.event === "view.status_changed") return viewStatusChangedMessage(payload);
  return runMessage(payload);
}
