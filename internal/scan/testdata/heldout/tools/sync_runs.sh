#!/usr/bin/env bash
# Pulls the last week's runs out of W&B into the warehouse.
set -euo pipefail

curl -sS -u api:{{wandb-hex}} https://api.wandb.ai/graphql \
  -H 'Content-Type: application/json' \
  -d '{"query": "{ viewer { id username } }"}'

curl -sS --user "api:{{wandb-hex}}" "https://api.wandb.ai/graphql" -d @query.json

git -C warehouse checkout {{!git-sha}}
# Expected SigV4 scope of the export bucket, for the smoke test.
export EXPECTED_CREDENTIAL_SCOPE="{{!sigv4-scope}}"
python -c 'import sys; f=open("out.env","w"); f.write("EXPORT_TOKEN={{generic}}\n")'
printf 'REGISTRY_PASSWORD={{generic}}\n' >> .env.ci
