import { ActionForm } from "../../users/action-form";
import { deleteWebhookAction, rotateWebhookSecretAction, sendTestEventAction, setWebhookActiveAction } from "../actions";
import styles from "../webhooks.module.css";

/** Test, rotate, deactivate / activate and delete: shown to those who may manage the hook (the server checks again). */
export function WebhookControls({ id, name, active, signed }: { id: string; name: string; active: boolean; signed: boolean }) {
  const idField = { name: "id", type: "hidden" as const, defaultValue: id };
  return (
    <div className={styles.actions}>
      {active ? <ActionForm action={sendTestEventAction} layout="inline" submit="Send test event" fields={[idField]} testId="test-webhook" /> : null}
      {signed ? (
        <details>
          <summary className="button ghost small">Rotate secret…</summary>
          <p className="small">The current secret stops verifying at once: update the receiver with the new one.</p>
          <ActionForm action={rotateWebhookSecretAction} submit="Rotate signing secret" buttonClass="button small" fields={[idField]} testId="rotate-webhook" />
        </details>
      ) : null}
      <ActionForm
        action={setWebhookActiveAction}
        layout="inline"
        submit={active ? "Deactivate" : "Activate"}
        buttonClass={active ? "button ghost small" : "button small"}
        fields={[idField, { name: "active", type: "hidden", defaultValue: active ? "false" : "true" }]}
        testId="toggle-webhook"
      />
      <details>
        <summary className="button ghost small">Delete…</summary>
        <p className="small">
          Delete <strong>{name}</strong> and its delivery log? Pending deliveries are dropped. To pause it and keep the log, deactivate it instead.
        </p>
        <ActionForm action={deleteWebhookAction} layout="inline" submit={`Delete ${name}`} buttonClass="button danger small" fields={[idField]} />
      </details>
    </div>
  );
}
