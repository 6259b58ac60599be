"use client";

import { StreamLanguage } from "@codemirror/language";
import { javascript } from "@codemirror/legacy-modes/mode/javascript";
import { python } from "@codemirror/legacy-modes/mode/python";
import { shell } from "@codemirror/legacy-modes/mode/shell";
import { yaml } from "@codemirror/lang-yaml";
import { linter, lintGutter } from "@codemirror/lint";
import { EditorView } from "@codemirror/view";
import CodeMirror, { type Extension } from "@uiw/react-codemirror";
import { useMemo } from "react";
import type { Diagnostic } from "./yaml-diagnostics";
import styles from "./editor.module.css";

export type CodeLanguage = "yaml" | "shell" | "python" | "javascript";

const languages: Record<CodeLanguage, () => Extension> = {
  yaml: () => yaml(),
  shell: () => StreamLanguage.define(shell),
  python: () => StreamLanguage.define(python),
  javascript: () => StreamLanguage.define(javascript),
};

interface Props {
  value: string;
  onChange: (value: string) => void;
  language: CodeLanguage;
  label: string;
  readOnly?: boolean;
  /** Problems to mark in the text, recomputed as the author types. */
  diagnose?: (text: string) => Diagnostic[];
  minHeight?: string;
  maxHeight?: string;
}

/** CodeMirror with syntax highlighting, and lint markers when `diagnose` is given. */
export function CodeEditor({ value, onChange, language, label, readOnly = false, diagnose, minHeight = "160px", maxHeight }: Props) {
  const extensions = useMemo(() => {
    const list: Extension[] = [languages[language](), EditorView.lineWrapping, EditorView.contentAttributes.of({ "aria-label": label })];
    if (diagnose) {
      list.push(
        lintGutter(),
        linter((view) => diagnose(view.state.doc.toString()).map((diagnostic) => ({ ...diagnostic, severity: "error" as const })), { delay: 200 }),
      );
    }
    return list;
  }, [language, label, diagnose]);
  return (
    <CodeMirror
      className={styles.codeEditor}
      value={value}
      onChange={onChange}
      extensions={extensions}
      readOnly={readOnly}
      editable={!readOnly}
      minHeight={minHeight}
      maxHeight={maxHeight}
      basicSetup={{ foldGutter: false, highlightActiveLine: !readOnly, autocompletion: false, searchKeymap: true }}
    />
  );
}
