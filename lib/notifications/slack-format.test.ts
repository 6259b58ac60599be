import { describe, expect, it } from "vitest";
import { deliveryBody } from "./delivery-body";
import type { RunEventPayload, RunEventRun } from "./run-events";
import { slackMessage } from "./slack-format";
import { webhookTestPayload } from "./test-event";

const run: RunEventRun = {
  id: 12,
  status: "queued",
  runbook: { slug: "db-failover", title: "DB failover <primary>", owner: "dba", risk: "high" },
  risk: "high",
  requestedBy: { email: "ada@example.test", name: "Ada" },
  params: { region: "eu-west-1" },
  reason: "primary is down & replica is healthy",
  ticket: "OPS-42",
  dryRun: false,
  approvalsRequired: 0,
  breakGlass: null,
};
const payload = (event: RunEventPayload["event"], extra: Partial<RunEventRun> = {}): RunEventPayload => ({
  event,
  at: "2026-01-01T00:00:00.000Z",
  url: "https://handrail.example/runs/12",
  run: { ...run, ...extra },
});

const allText = (message: ReturnType<typeof slackMessage>) => JSON.stringify(message);

describe("the Slack-compatible format", () => {
  it("is { text, blocks } with the runbook, risk, requester, status, reason, ticket and a link to the run", () => {
    const message = slackMessage(payload("run.requested"));
    expect(Object.keys(message).sort()).toEqual(["blocks", "text"]);
    expect(message.text).toBe(":arrow_forward: Run #12 of DB failover &lt;primary&gt; was requested (high risk, requested by Ada)");
    const section = message.blocks.find((block) => block.type === "section");
    expect(section).toMatchObject({ type: "section", text: { type: "mrkdwn", text: expect.stringContaining("<https://handrail.example/runs/12|Run #12>") } });
    const fields = section && "fields" in section ? (section.fields ?? []).map((field) => field.text) : [];
    expect(fields).toEqual([
      "*Runbook*\nDB failover &lt;primary&gt; (`db-failover`)",
      "*Risk*\nhigh",
      "*Requested by*\nAda (ada@example.test)",
      "*Status*\nqueued",
      "*Reason*\nprimary is down &amp; replica is healthy",
      "*Ticket*\nOPS-42",
    ]);
    for (const block of message.blocks) expect(["header", "section", "context"]).toContain(block.type);
  });

  it("makes break-glass loud: a header, the incident and the justification", () => {
    const message = slackMessage(payload("run.break_glass", { breakGlass: { justification: "site down, nobody to approve", incident: "INC-7" } }));
    expect(message.text).toMatch(/^:rotating_light: BREAK-GLASS: run #12 .* for incident INC-7/);
    expect(message.blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "🚨 BREAK-GLASS: DB failover <primary>" } });
    expect(allText(message)).toContain("*Justification:* site down, nobody to approve");
  });

  it("shows the outcome of a finished or failed run and who decided an approval", () => {
    expect(allText(slackMessage(payload("run.failed", { status: "failed", exitCode: 3, errorMessage: "boom" })))).toContain("failed (exit 3)");
    const approved = slackMessage(payload("run.approved", { decidedBy: { email: "olu@example.test", name: "Olu" }, comment: "go" }));
    expect(allText(approved)).toContain("*Decided by*\\nOlu (olu@example.test)");
  });

  it("formats the test event, and the JSON format is the payload plus the delivery id", () => {
    const test = webhookTestPayload({ id: "hook-1", name: "ops" }, "https://handrail.example", "ada@example.test");
    expect(slackMessage(test).text).toContain('webhook "ops"');
    expect(JSON.parse(deliveryBody("json", payload("run.finished"), 99))).toEqual({ ...payload("run.finished"), deliveryId: 99 });
    expect(JSON.parse(deliveryBody("slack", payload("run.finished"), 99))).toEqual(slackMessage(payload("run.finished")));
  });
});
