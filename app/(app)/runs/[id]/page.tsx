import type { Metadata } from "next";
import Link from "next/link";
import { pageData } from "@/lib/api/page-data";
import { idParam } from "@/lib/api/route";
import { requireActor } from "@/lib/auth/current-actor";
import { getRun } from "@/lib/services/runs/get-run";
import { Denied } from "../../../components/denied";
import { RunLive } from "./run-live";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Run #${(await params).id}` };
}

export default async function RunPage({ params }: Props) {
  const { id } = await params;
  const actor = await requireActor(`/runs/${id}`);
  const loaded = await pageData(Promise.resolve().then(() => getRun(actor, idParam(id, "run"))));
  if (!loaded.ok) return <Denied message={loaded.error} />;
  const run = loaded.data;
  return (
    <>
      <div className="page-head">
        <p className="crumbs">
          <Link href="/runs">Runs</Link> / <span className="mono">#{run.id}</span>
        </p>
      </div>
      <RunLive initial={run} />
    </>
  );
}
