// Builds GOV.UK Frontend's compiled CSS, JavaScript, fonts and images into build/static/govuk,
// where Django's collectstatic picks them up. Run by `make` after `npm ci`.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const out = join(root, "build", "static", "govuk");

if (!existsSync(dist)) {
  console.error("govuk-frontend is not installed: run `npm ci` first.");
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const file of ["govuk-frontend.min.js", "govuk-frontend.min.js.map"]) {
  cpSync(join(dist, file), join(out, file));
}
// The stylesheet points at /assets/; ours are served beside it, so make the links relative.
const css = readFileSync(join(dist, "govuk-frontend.min.css"), "utf8")
  .replaceAll("url(/assets/", "url(assets/")
  .replace(/\/\*# sourceMappingURL=.*\*\//, "");
writeFileSync(join(out, "govuk-frontend.min.css"), css);
cpSync(join(dist, "assets"), join(out, "assets"), { recursive: true });
console.log(`GOV.UK Frontend assets built into ${out}`);
