"""Fine-tune on Modal.

Local setup writes ~/.modal.toml:

    [acme]
    token_id = "{{modal-id}}"
    token_secret = "{{modal-secret}}"
    active = true
"""
import modal

app = modal.App("llama-finetune")
image = modal.Image.debian_slim().pip_install("torch", "transformers", "peft", "wandb")

secrets = [
    modal.Secret.from_name("huggingface"),
    # quick hack for the demo, move to a named secret
    modal.Secret.from_dict({"HF_TOKEN": "{{hf}}", "WANDB_API_KEY": "{{wandb-hex}}"}),
]


@app.function(image=image, gpu="A100", timeout=6 * 3600, secrets=secrets)
def train(run_name: str = "{{!wandb-run-id}}", base_revision: str = "{{!git-sha}}"):
    import os
    import wandb

    wandb.login(key=os.environ["WANDB_API_KEY"])
    print("training", run_name, "from", base_revision)
