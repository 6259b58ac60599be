import path from "node:path";
import { fileURLToPath } from "node:url";

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Loaded from node_modules at run time: PGlite reads its WebAssembly next to its module, argon2 is native.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "postgres", "execa"],
  turbopack: { root: path.dirname(fileURLToPath(import.meta.url)) },
  // No page may be framed (clickjacking an approval), sniffed into another type, or leak its URL to another site.
  // Pages get a fuller policy with a script nonce from proxy.ts; this one covers the API and static files.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "Content-Security-Policy", value: "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
