import { randomUUID } from "node:crypto";
import NextAuth, { type Session } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { signInWithPassword } from "../services/users/sign-in";
import { currentSessionVersion, endSession, SESSION_MAX_AGE_SECONDS } from "../services/users/sessions";
import { clientAddress } from "./client-address";

// Loose on purpose: an over-long or malformed email is still a sign-in someone tried, recorded as a failure by the service.
const credentialsSchema = z.object({ email: z.string().max(64 * 1024), password: z.string().max(64 * 1024) });

/** The session as Handrail reads it: whose it is, which session, and the user's session version when it began. */
export type HandrailSession = Session & { sessionId?: string; sessionVersion?: number };

export const { handlers, auth, signIn, signOut } = NextAuth({
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/signin" },
  providers: [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, request) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const user = await signInWithPassword({
          ...parsed.data,
          ip: clientAddress(request.headers),
          userAgent: request.headers.get("user-agent") ?? undefined,
        });
        return user ? { id: user.id, email: user.email, name: user.name } : null;
      },
    }),
  ],
  callbacks: {
    // At sign-in the cookie gets an id of its own (so signing out can end just this session) and
    // the user's session version (so a password reset, role change or deactivation ends them all).
    async jwt({ token, user }) {
      if (user?.id) {
        token.sub = user.id;
        token.sid = randomUUID();
        token.sv = await currentSessionVersion(user.id);
      }
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      const handrail = session as HandrailSession;
      if (typeof token.sid === "string") handrail.sessionId = token.sid;
      if (typeof token.sv === "number") handrail.sessionVersion = token.sv;
      return handrail;
    },
  },
  events: {
    // Every way of signing out (the app's button, next-auth's own endpoint) ends the session for good.
    async signOut(message) {
      const token = "token" in message ? message.token : null;
      if (typeof token?.sid !== "string") return;
      const expiresAt = typeof token.exp === "number" ? new Date(token.exp * 1000) : new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000);
      await endSession(token.sid, token.sub ?? undefined, expiresAt);
    },
  },
});
