import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { pageData } from "@/lib/api/page-data";
import { runbookSlugParam } from "@/lib/services/runbooks/runbook-fields";
import { requireActor } from "@/lib/auth/current-actor";
import { Denied } from "../../../../components/denied";
import { proposeRunbookAction } from "../../_editor/actions";
import { ReadOnlyNotice } from "../../_editor/read-only-notice";
import { loadExistingRunbook } from "../../_editor/load-existing";
import { RunbookEditor } from "../../_editor/runbook-editor";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Propose a change to ${(await params).slug}` };
}

export default async function ProposeChangePage({ params }: Props) {
  const slug = runbookSlugParam.safeParse((await params).slug);
  if (!slug.success) notFound();
  const actor = await requireActor(`/runbooks/${slug.data}/propose`);
  const loaded = await pageData(loadExistingRunbook(actor, slug.data));
  if (!loaded.ok) return <Denied message={loaded.error} />;
  const runbook = loaded.data;
  const proposable = runbook.source === "ui" && !runbook.archived && runbook.canPropose;
  return (
    <>
      <div className="page-head">
        <p className="crumbs">
          <Link href="/runbooks">Runbooks</Link> / <Link href={`/runbooks/${runbook.slug}`} className="mono">{runbook.slug}</Link> / propose a change
        </p>
        <h1>Propose a change to {runbook.title}</h1>
        <p className="lead">
          {proposable
            ? "An operator reviews your proposal. Runners keep getting the current version until it is published."
            : `The current definition (version ${runbook.baseRevision}), with the run form it gives and what it would run.`}
        </p>
      </div>
      <RunbookEditor
        initialYaml={runbook.yaml}
        mode={proposable ? "propose" : "view"}
        fixedSlug={runbook.slug}
        action={proposable ? proposeRunbookAction.bind(null, runbook.slug) : undefined}
        notice={proposable ? null : <ReadOnlyNotice runbook={runbook} role={actor.user.role} wanted="propose" />}
      />
    </>
  );
}
