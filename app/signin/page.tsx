import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { config } from "@/lib/config/env";
import { sessionActor } from "@/lib/auth/current-actor";
import { demoCredentials } from "@/lib/services/users/ensure-demo-users";
import { Brand } from "../components/brand";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await sessionActor()) redirect("/");
  const { callbackUrl } = await searchParams;
  const demo = config().demo;
  return (
    <main className="signin">
      <div className="signin-card">
        <Brand large />
        <p className="muted">Operations runbooks, self-service, with guard rails.</p>
        <SignInForm callbackUrl={callbackUrl ?? "/"} />
        {demo ? (
          <section className="demo-box" aria-label="Demo accounts">
            <h2>Demo accounts</h2>
            <p className="muted small">
              Demo mode is on (HANDRAIL_DEMO). Every account&apos;s password is <span className="mono">{demoCredentials[0]?.password}</span>.
            </p>
            <table className="table compact">
              <thead>
                <tr>
                  <th>Role</th>
                  <th>Email</th>
                </tr>
              </thead>
              <tbody>
                {demoCredentials.map((credential) => (
                  <tr key={credential.email}>
                    <td>{credential.role}</td>
                    <td className="mono">{credential.email}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ) : null}
      </div>
    </main>
  );
}
