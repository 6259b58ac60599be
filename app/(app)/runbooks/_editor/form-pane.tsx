"use client";

import type { ReactNode } from "react";
import type { Draft } from "./draft";
import { EnvFields } from "./env-fields";
import { ExecutionFields } from "./execution-fields";
import { MetadataFields } from "./metadata-fields";
import { ParametersFields } from "./parameters-fields";
import styles from "./editor.module.css";

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className={styles.section} aria-label={title}>
      <h3 className={styles.sectionTitle}>{title}</h3>
      {children}
    </section>
  );
}

interface Props {
  draft: Draft;
  onChange: (draft: Draft) => void;
  fixedSlug?: string;
  readOnly: boolean;
}

export function FormPane({ draft, onChange, fixedSlug, readOnly }: Props) {
  return (
    <fieldset className={styles.fieldset} disabled={readOnly}>
      <Section title="About">
        <MetadataFields draft={draft} onChange={onChange} fixedSlug={fixedSlug} />
      </Section>
      <Section title="Parameters">
        <ParametersFields draft={draft} onChange={onChange} />
      </Section>
      <Section title="What runs">
        <ExecutionFields draft={draft} onChange={onChange} />
      </Section>
      <Section title="Environment">
        <EnvFields draft={draft} onChange={onChange} />
      </Section>
    </fieldset>
  );
}
