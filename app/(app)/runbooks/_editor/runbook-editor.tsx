"use client";

import { useEffect, useMemo, useState, type ReactNode } from "react";
import type { EditorAction } from "./action-state";
import { EditorContext } from "./editor-context";
import { editedAsYaml, editedInForm, snapshotFromYaml, validationOf } from "./editor-state";
import { fieldId } from "./error-paths";
import { FormPane } from "./form-pane";
import { PreviewColumn } from "./preview-column";
import { ProblemsList } from "./problems-list";
import { SaveBar } from "./save-bar";
import { validateYaml } from "./validate";
import { loosenings } from "@/lib/runbooks/loosenings";
import { YamlPane } from "./yaml-pane";
import styles from "./editor.module.css";

export type EditorMode = "create" | "edit" | "propose" | "view";

interface Props {
  initialYaml: string;
  mode: EditorMode;
  /** Editing or proposing a change: the runbook's slug, which cannot change. */
  fixedSlug?: string;
  /** Absent in view mode. */
  action?: EditorAction;
  /** Shown above the editor, e.g. why it is read-only. */
  notice?: ReactNode;
  /** Editing: how long a request waits for approval when a runbook does not say, to tell what a change loosens. */
  defaultApprovalExpiresAfterMs?: number;
}

/** Focuses the input for an error path, or the nearest enclosing one (parameters.1.allowed.0 → parameters.1.allowed). */
function focusField(field: string) {
  const segments = field.split(".");
  for (let length = segments.length; length > 0; length -= 1) {
    const element = document.getElementById(fieldId(segments.slice(0, length).join(".")));
    if (element) {
      element.scrollIntoView({ block: "center" });
      element.focus();
      return;
    }
  }
}

/** The runbook editor: a form and its YAML kept in sync, validated as you type, with a live preview of the run form. */
export function RunbookEditor({ initialYaml, mode, fixedSlug, action, notice, defaultApprovalExpiresAfterMs }: Props) {
  const [snapshot, setSnapshot] = useState(() => snapshotFromYaml(initialYaml));
  const [tab, setTab] = useState<"form" | "yaml">(() => (snapshot.outOfSync ? "yaml" : "form"));
  const validation = useMemo(() => validationOf(snapshot, fixedSlug), [snapshot, fixedSlug]);
  const [lastValid, setLastValid] = useState(validation.definition);
  if (validation.definition && validation.definition !== lastValid) setLastValid(validation.definition);
  const readOnly = mode === "view";
  const dirty = snapshot.yaml !== initialYaml;
  const current = useMemo(() => (mode === "edit" ? validateYaml(initialYaml, fixedSlug).definition : null), [mode, initialYaml, fixedSlug]);
  // The server holds a loosening save for another editor; say so before the save, not after.
  const loosens = useMemo(
    () => (current && validation.definition && defaultApprovalExpiresAfterMs !== undefined ? loosenings(current, validation.definition, { defaultApprovalExpiresAfterMs }) : []),
    [current, validation.definition, defaultApprovalExpiresAfterMs],
  );

  useEffect(() => {
    if (!dirty || readOnly) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty, readOnly]);

  const select = (field: string) => {
    if (field === "(yaml)" || field === "(runbook)" || snapshot.outOfSync) {
      setTab("yaml");
      return;
    }
    setTab("form");
    setTimeout(() => focusField(field), 0);
  };

  const context = useMemo(() => ({ errors: validation.errors, readOnly }), [validation.errors, readOnly]);
  const problems = validation.errors.length;
  return (
    <EditorContext.Provider value={context}>
      {notice}
      <div className={styles.editor}>
        <div className={styles.main}>
          <section className={`panel ${styles.editorPanel}`}>
            <div className={styles.tabBar}>
              <div role="tablist" aria-label="Edit as" className={styles.tabs}>
                {(["form", "yaml"] as const).map((name) => (
                  <button
                    key={name}
                    type="button"
                    role="tab"
                    aria-selected={tab === name}
                    className={tab === name ? styles.tabActive : styles.tab}
                    onClick={() => setTab(name)}
                    title={name === "form" && snapshot.outOfSync ? "Out of sync with the YAML until it parses" : undefined}
                  >
                    {name === "form" ? "Form" : "YAML"}
                    {name === "form" && snapshot.outOfSync ? <span className={styles.syncDot} aria-hidden="true" /> : null}
                  </button>
                ))}
              </div>
              <span className={problems === 0 ? styles.pillOk : styles.pillBad}>{problems === 0 ? "valid" : `${problems} problem${problems === 1 ? "" : "s"}`}</span>
            </div>
            <ProblemsList errors={validation.errors} onSelect={select} />
            {snapshot.outOfSync ? (
              <p className={`notice ${styles.syncNotice}`} role="status">
                <strong>Form out of sync:</strong> {snapshot.outOfSync}. {tab === "form" ? "The form shows the last version that parsed and is locked until the YAML is fixed." : "The form catches up as soon as it parses."}
              </p>
            ) : null}
            {tab === "form" ? (
              <FormPane draft={snapshot.draft} onChange={(draft) => setSnapshot(editedInForm(draft))} fixedSlug={fixedSlug} readOnly={readOnly || snapshot.outOfSync !== null} />
            ) : (
              <YamlPane yaml={snapshot.yaml} onChange={(yaml) => setSnapshot((previous) => editedAsYaml(previous, yaml))} fixedSlug={fixedSlug} readOnly={readOnly} />
            )}
          </section>
          {action && mode !== "view" ? (
            <SaveBar kind={mode} yaml={snapshot.yaml} loosens={loosens} blocked={problems > 0 ? "Fix the problems above to save; the server checks the same rules." : null} action={action} />
          ) : null}
        </div>
        <aside className={styles.side}>
          <PreviewColumn definition={lastValid} stale={validation.definition === null} />
        </aside>
      </div>
    </EditorContext.Provider>
  );
}
