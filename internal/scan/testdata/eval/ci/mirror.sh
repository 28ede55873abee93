#!/usr/bin/env bash
# Mirrors the dataset repository to the archive org every night.
set -euo pipefail
export GH_TOKEN={{github-legacy}}
git clone --mirror "https://x-access-token:{{github-legacy}}@github.com/nlp-research/datasets.git" datasets.git
git -C datasets.git push --mirror "https://oauth2:{{github-legacy}}@github.com/nlp-archive/datasets.git"
echo "mirrored $(git -C datasets.git rev-parse HEAD) (expected {{!git-sha}})"
echo "see https://github.com/nlp-research/datasets/commit/{{!git-sha}}"
