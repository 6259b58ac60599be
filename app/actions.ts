"use server";

import { AuthError } from "next-auth";
import { signIn, signOut } from "@/lib/auth/auth";

export interface SignInState {
  error?: string;
}

/** Only local paths may be returned to after sign-in, so the form cannot become an open redirect. */
function safeReturnPath(value: FormDataEntryValue | null): string {
  const text = typeof value === "string" ? value : "";
  return text.startsWith("/") && !text.startsWith("//") && !text.startsWith("/\\") ? text : "/runbooks";
}

export async function signInAction(_previous: SignInState, formData: FormData): Promise<SignInState> {
  const email = String(formData.get("email") ?? "").trim();
  const password = String(formData.get("password") ?? "");
  if (!email) return { error: "Enter your email." };
  if (!password) return { error: "Enter your password." };
  try {
    await signIn("credentials", { email, password, redirectTo: safeReturnPath(formData.get("callbackUrl")) });
    return {};
  } catch (error) {
    if (error instanceof AuthError) return { error: "Wrong email or password, or the account is deactivated." };
    throw error;
  }
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/signin" });
}
