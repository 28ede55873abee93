#!/usr/bin/env bash
# Benchmarks every hosted model we compare against. Keys are for the
# benchmark account only.
set -euo pipefail

export MISTRAL_API_KEY={{mistral}}
export COHERE_API_KEY={{cohere}}
export PINECONE_API_KEY="{{pinecone}}"
export LANGCHAIN_API_KEY={{langsmith}}
export AWS_ACCESS_KEY_ID={{aws-sts-id}}
export AWS_SECRET_ACCESS_KEY={{aws-secret}}
export REPLICATE_API_TOKEN=${REPLICATE_API_TOKEN:?set it}

curl -s https://api.groq.com/openai/v1/models -H "Authorization: Bearer {{groq}}" | jq '.data | length'
curl -s https://integrate.api.nvidia.com/v1/models -H "Authorization: Bearer {{nvidia}}" >/dev/null
curl -s https://api.together.xyz/v1/models -H "Authorization: Bearer $TOGETHER_API_KEY" >/dev/null
echo "digest {{!sha256}}"
