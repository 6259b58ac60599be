import { ReasonForm } from "../../../runbooks/[slug]/reason-form";
import { acknowledgeBreakGlassAction, approveRunAction, rejectRunAction } from "../actions";

type From = "run" | "approvals";

export function ApproveForm({ runId, from }: { runId: number; from: From }) {
  return (
    <ReasonForm
      action={approveRunAction.bind(null, runId, from)}
      field="comment"
      label="Comment"
      required={false}
      placeholder="e.g. checked the dry run and the ticket"
      submit="Approve"
      testId="approve"
    />
  );
}

export function RejectForm({ runId, from }: { runId: number; from: From }) {
  return (
    <ReasonForm
      action={rejectRunAction.bind(null, runId, from)}
      field="comment"
      label="Why reject"
      placeholder="tell the requester what would make it acceptable"
      submit="Reject"
      buttonClass="button danger"
      testId="reject"
    />
  );
}

/** Approve (comment optional) and reject (comment required): the server applies the four-eyes rule again. */
export function DecisionForms({ runId, from }: { runId: number; from: From }) {
  return (
    <>
      <ApproveForm runId={runId} from={from} />
      <RejectForm runId={runId} from={from} />
    </>
  );
}

export function AcknowledgeForm({ runId, from }: { runId: number; from: From }) {
  return (
    <ReasonForm
      action={acknowledgeBreakGlassAction.bind(null, runId, from)}
      field="comment"
      label="What you checked"
      placeholder="e.g. matches INC-1234; the restart was needed"
      submit="Acknowledge"
      testId="acknowledge"
    />
  );
}
