// Builds GOV.UK Frontend's CSS (from its Sass, with our settings), JavaScript and images into build/static/govuk,
// where Django's collectstatic picks them up. Run by `make` after `npm ci`.
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import * as sass from "sass";
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
// The stylesheet is compiled from GOV.UK Frontend's Sass with our settings (assets/govuk.scss).
const compiled = sass.compile(join(root, "assets", "govuk.scss"), {
  loadPaths: [join(root, "node_modules", "govuk-frontend", "dist")],
  style: "compressed",
  quietDeps: true,
});
writeFileSync(join(out, "govuk-frontend.min.css"), compiled.css);
cpSync(join(dist, "assets"), join(out, "assets"), { recursive: true });
console.log(`GOV.UK Frontend assets built into ${out}`);

// Leaflet (BSD-2-Clause) for the staff maps: its script, stylesheet and marker images, into build/static/leaflet.
const leaflet = join(root, "node_modules", "leaflet", "dist");
if (existsSync(leaflet)) {
  const leafletOut = join(root, "build", "static", "leaflet");
  rmSync(leafletOut, { recursive: true, force: true });
  mkdirSync(leafletOut, { recursive: true });
  for (const file of ["leaflet.js", "leaflet.js.map", "leaflet.css"]) {
    cpSync(join(leaflet, file), join(leafletOut, file));
  }
  cpSync(join(leaflet, "images"), join(leafletOut, "images"), { recursive: true });
  console.log(`Leaflet built into ${leafletOut}`);
}
