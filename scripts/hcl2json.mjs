// Prints the Terraform files of a directory as JSON, one entry per file:
//   {"main.tf": {...}, "ecs.tf": {...}}
// Uses @cdktf/hcl2json (HashiCorp's HCL parser compiled to WebAssembly), so CI can check the
// Terraform without a terraform binary. Files are kept apart so that a block declared twice in two
// files is visible to the checker instead of being merged away.
// Usage: node scripts/hcl2json.mjs terraform
import { parse } from "@cdktf/hcl2json";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node scripts/hcl2json.mjs <directory>");
  process.exit(2);
}
const files = (await readdir(dir)).filter((f) => f.endsWith(".tf")).sort();
const out = {};
for (const file of files) {
  out[file] = await parse(file, await readFile(join(dir, file), "utf8"));
}
process.stdout.write(JSON.stringify(out));
