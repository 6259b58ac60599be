"use client";

import { createContext, useContext } from "react";
import type { SourceError } from "@/lib/runbooks/source";
import { messagesAt } from "./error-paths";

interface EditorContextValue {
  errors: SourceError[];
  readOnly: boolean;
}

export const EditorContext = createContext<EditorContextValue>({ errors: [], readOnly: false });

export function useEditorContext(): EditorContextValue {
  return useContext(EditorContext);
}

export function useFieldErrors(field: string): string[] {
  return messagesAt(useContext(EditorContext).errors, field);
}
