"""Push the fine-tuned checkpoint to the Hub and log the run to W&B."""
import hashlib
import os

import wandb
from huggingface_hub import HfApi, login

# TODO: move to the environment before merging
HF_TOKEN = "{{hf}}"
REPO_ID = "ml-team/llama-3-8b-support-ft"
BASE_MODEL = "{{!model-id}}"

# Expected digest of the merged safetensors, from the training node.
EXPECTED_SHA256 = "{{!sha256}}"
PARENT_COMMIT = "{{!git-sha}}"


def checksum(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main() -> None:
    wandb.login(key="{{wandb-hex}}")
    run = wandb.init(project="support-ft", id="{{!wandb-run-id}}", resume="allow")
    login(token=HF_TOKEN)
    api = HfApi()
    digest = checksum("out/model.safetensors")
    assert digest == EXPECTED_SHA256, f"checksum mismatch: {digest}"
    api.upload_folder(folder_path="out", repo_id=REPO_ID, commit_message=f"ft from {PARENT_COMMIT}")
    # The org token is only for the legacy mirror.
    mirror = HfApi(token="{{hf-org}}")
    mirror.upload_folder(folder_path="out", repo_id="ml-team-legacy/support-ft")
    run.finish()


if __name__ == "__main__":
    main()
