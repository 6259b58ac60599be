import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { pageData } from "@/lib/api/page-data";
import { runbookSlugParam } from "@/lib/services/runbooks/runbook-fields";
import { requireActor } from "@/lib/auth/current-actor";
import { config } from "@/lib/config/env";
import { Denied } from "../../../../components/denied";
import { saveRunbookAction } from "../../_editor/actions";
import { ReadOnlyNotice } from "../../_editor/read-only-notice";
import { loadExistingRunbook } from "../../_editor/load-existing";
import { RunbookEditor } from "../../_editor/runbook-editor";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Edit ${(await params).slug}` };
}

export default async function EditRunbookPage({ params }: Props) {
  const slug = runbookSlugParam.safeParse((await params).slug);
  if (!slug.success) notFound();
  const actor = await requireActor(`/runbooks/${slug.data}/edit`);
  const loaded = await pageData(loadExistingRunbook(actor, slug.data));
  if (!loaded.ok) return <Denied message={loaded.error} />;
  const runbook = loaded.data;
  const editable = runbook.source === "ui" && !runbook.archived && runbook.canEdit;
  return (
    <>
      <div className="page-head">
        <p className="crumbs">
          <Link href="/runbooks">Runbooks</Link> / <Link href={`/runbooks/${runbook.slug}`} className="mono">{runbook.slug}</Link> / edit
        </p>
        <h1>Edit {runbook.title}</h1>
        <p className="lead">
          {editable
            ? `Saving makes a new version (the current one is version ${runbook.baseRevision}); runs keep the version they ran.`
            : `The current definition (version ${runbook.baseRevision}), with the run form it gives and what it would run.`}
        </p>
      </div>
      <RunbookEditor
        initialYaml={runbook.yaml}
        mode={editable ? "edit" : "view"}
        fixedSlug={runbook.slug}
        action={editable ? saveRunbookAction.bind(null, { slug: runbook.slug, baseRevision: runbook.baseRevision }) : undefined}
        notice={editable ? null : <ReadOnlyNotice runbook={runbook} role={actor.user.role} wanted="edit" />}
        defaultApprovalExpiresAfterMs={config().approvalExpiresAfterMs}
      />
    </>
  );
}
