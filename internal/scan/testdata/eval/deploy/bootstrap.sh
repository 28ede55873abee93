#!/usr/bin/env bash
# Sets up a fresh GPU node for training.
set -euo pipefail

mkdir -p ~/.ssh && chmod 700 ~/.ssh
cat > ~/.ssh/id_ed25519 <<'KEY'
{{pem-openssh}}
KEY
chmod 600 ~/.ssh/id_ed25519

# The encrypted backup key; the passphrase lives in the vault.
cat > /etc/backup/key.pem <<'KEY'
{{pem-pkcs8-enc}}
KEY

# Template for new nodes: the real key is injected by cloud-init.
cat > /etc/ml/node.pem <<'KEY'
{{!pem-elided}}
KEY

echo "node ready"
