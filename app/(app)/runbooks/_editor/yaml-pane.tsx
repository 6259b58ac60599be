"use client";

import { useCallback } from "react";
import { CodeEditor } from "./code-editor";
import { validateYaml } from "./validate";
import { yamlDiagnostics } from "./yaml-diagnostics";

interface Props {
  yaml: string;
  onChange: (yaml: string) => void;
  fixedSlug?: string;
  readOnly: boolean;
}

export function YamlPane({ yaml, onChange, fixedSlug, readOnly }: Props) {
  const diagnose = useCallback((text: string) => yamlDiagnostics(text, validateYaml(text, fixedSlug).errors), [fixedSlug]);
  return <CodeEditor value={yaml} onChange={onChange} language="yaml" label="Runbook YAML" readOnly={readOnly} diagnose={diagnose} minHeight="520px" />;
}
