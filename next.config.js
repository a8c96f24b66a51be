/** @type {import('next').NextConfig} */
const nextConfig = {
  // These read files or native addons at run time: keep them out of the server bundle.
  serverExternalPackages: ["@cloud-copilot/iam-simulate", "better-sqlite3"],
  // Responses are event streams and CSV downloads: compression would buffer them.
  compress: false,
  poweredByHeader: false,
  // `next dev` would otherwise write an AGENTS.md into the project on every start.
  agentRules: false,
  experimental: { agentUpgrade: false },
};

module.exports = nextConfig;
