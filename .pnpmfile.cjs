// pnpm hooks. beforePacking: the packed manifest (pnpm pack / pnpm publish) does not name the
// private workspace packages (test helpers, shared configs) among its devDependencies: they
// are never published, so a consumer's tools could not resolve them.
const { readdirSync, readFileSync, existsSync } = require("node:fs");
const { join } = require("node:path");

function privateWorkspacePackages() {
  const names = new Set();
  for (const group of ["packages", "tooling"]) {
    const dir = join(__dirname, group);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir)) {
      const manifest = join(dir, entry, "package.json");
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, "utf8"));
      if (pkg.private === true) names.add(pkg.name);
    }
  }
  return names;
}

function beforePacking(pkg) {
  const unpublished = privateWorkspacePackages();
  for (const field of ["devDependencies", "dependencies", "optionalDependencies", "peerDependencies"]) {
    const deps = pkg[field];
    if (!deps) continue;
    for (const name of Object.keys(deps)) if (unpublished.has(name)) delete deps[name];
  }
  return pkg;
}

module.exports = { hooks: { beforePacking } };
