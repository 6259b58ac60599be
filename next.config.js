import path from "node:path";
import { fileURLToPath } from "node:url";

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Loaded from node_modules at run time: PGlite reads its WebAssembly next to its module, argon2 is native.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "postgres", "execa"],
  turbopack: { root: path.dirname(fileURLToPath(import.meta.url)) },
};

export default nextConfig;
