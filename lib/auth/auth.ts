import NextAuth from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { signInWithPassword } from "../services/users/sign-in";
import { clientAddress } from "./client-address";

// Loose on purpose: an over-long or malformed email is still a sign-in someone tried, recorded as a failure by the service.
const credentialsSchema = z.object({ email: z.string().max(64 * 1024), password: z.string().max(64 * 1024) });

export const { handlers, auth, signIn, signOut } = NextAuth({
  trustHost: true,
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
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
    jwt({ token, user }) {
      if (user?.id) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
});
