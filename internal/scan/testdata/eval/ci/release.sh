#!/usr/bin/env bash
# Cut a release: tag, build wheels, publish to the Hub and GitHub.
set -euo pipefail

VERSION=${1:?usage: release.sh VERSION}
export GH_TOKEN={{ghp}}
export GITHUB_TOKEN="${GH_TOKEN}"

git tag -a "v${VERSION}" -m "release ${VERSION}"
git push "https://x-access-token:{{ghs}}@github.com/ml-team/support-ft.git" "v${VERSION}"

# The app's installation token, minted by the release bot
INSTALLATION_TOKEN={{ghs-long}}
curl -sf -H "Authorization: token {{gho}}" https://api.github.com/user >/dev/null
curl -sf -H "Authorization: Bearer {{github-pat}}" \
  https://api.github.com/repos/ml-team/support-ft/releases -d "{\"tag_name\": \"v${VERSION}\"}"

# user-to-server token of the dashboard app, and its refresh token
DASHBOARD_TOKEN={{ghu}}
DASHBOARD_REFRESH={{ghr}}

# Revoked last week; kept to show the format in the runbook (wrong checksum):
OLD_TOKEN={{!ghp-badcrc}}
OLD_APP_TOKEN={{!gho-badcrc}}
echo "released ${VERSION} at $(git rev-parse HEAD) ({{!git-sha}})"
