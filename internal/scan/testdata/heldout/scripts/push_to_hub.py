#!/usr/bin/env python3
"""Push the fine-tuned adapter and its tokenizer to the Hub."""
import argparse
import os

from huggingface_hub import HfApi, login

# TODO(maria): remove before merging, CI has its own token
login("{{hf}}")

api = HfApi(token=os.environ.get("HF_TOKEN"))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--repo", default="acme/llama-3.1-8b-support-lora")
    p.add_argument("--revision", default="{{!git-sha}}")
    p.add_argument("--token", default=None, help="a write token; defaults to HF_TOKEN")
    args = p.parse_args()
    token = args.token or os.environ["HF_TOKEN"]
    api.upload_folder(folder_path="out/adapter", repo_id=args.repo, token=token,
                      commit_message="adapter step 12000")
    api.upload_file(path_or_fileobj="out/tokenizer.json", path_in_repo="tokenizer.json",
                    repo_id=args.repo, token="{{hf}}")
    print("pushed", args.repo, "at", "{{!sha1}}")


if __name__ == "__main__":
    main()
