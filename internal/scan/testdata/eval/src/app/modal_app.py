import modal

app = modal.App("support-ft")
image = modal.Image.debian_slim().pip_install("torch==2.4.1", "transformers==4.46.0")

# FIXME: use modal.Secret.from_name("huggingface") once the workspace secret exists
hf_secret = modal.Secret.from_dict({"HF_TOKEN": "{{hf}}", "WANDB_API_KEY": "{{wandb-v1}}"})
secret_from_name = modal.Secret.from_name("huggingface-secret")


@app.function(gpu="A100", image=image, secrets=[hf_secret], timeout=6 * 3600)
def train(run_id: str = "{{!uuid}}"):
    import os
    token = os.environ["HF_TOKEN"]
    print("training with", token[:3] + "…")
