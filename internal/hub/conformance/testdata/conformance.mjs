// Drives the official @huggingface/hub client against the fake Hub. The Go
// test (conformance_test.go) starts the fake, writes the files, runs this
// script and checks what the fake stored. Never print the token.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { whoAmI, uploadFiles, commit } from "@huggingface/hub";

const hubUrl = process.env.HUB_URL;
const accessToken = process.env.HF_TOKEN;
const dir = process.env.FILES_DIR;
const repo = { type: "model", name: process.env.REPO };

function out(step, value) {
  console.log(JSON.stringify({ step, ...value }));
}

const me = await whoAmI({ accessToken, hubUrl });
out("whoami", {
  name: me.name,
  type: me.type,
  orgs: me.orgs.map((o) => o.name),
  role: me.auth.accessToken.role,
  createdAtIsDate: me.auth.accessToken.createdAt instanceof Date,
});

const files = ["README.md", "model.safetensors", "big.bin"].map((path) => ({
  path,
  content: new Blob([readFileSync(join(dir, path))]),
}));
const uploaded = await uploadFiles({ repo, accessToken, hubUrl, files, commitTitle: "Upload from huggingface.js" });
out("uploadFiles", { oid: uploaded.commit.oid, url: uploaded.commit.url });

const removed = await commit({
  repo,
  accessToken,
  hubUrl,
  title: "Remove the README",
  operations: [{ operation: "delete", path: "README.md" }],
});
out("commit", { oid: removed.commit.oid });
