#!/usr/bin/env python3
"""Generates the tree that bench/secretscan.sh scans: a repository-like mix of
Python sources, configs, Markdown, JSON and notebooks with base64 images, with
a fake secret in about one file in fifty. Deterministic for a given seed.

    secretscan_gen.py DIR MEGABYTES [SEED]
"""
import base64
import json
import os
import random
import sys

root, megabytes = sys.argv[1], float(sys.argv[2])
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def pick(n, alphabet=ALNUM):
    return "".join(rng.choice(alphabet) for _ in range(n))


CODE = [
    "import os", "import torch", "from transformers import AutoTokenizer, AutoModelForCausalLM",
    "tokenizer = AutoTokenizer.from_pretrained(model_name, token=os.environ['HF_TOKEN'])",
    "    input_ids = tokenizer(batch['text'], truncation=True, max_length=2048).input_ids",
    "    loss = outputs.loss / gradient_accumulation_steps",
    "def train(model, loader, optimizer, scheduler, epochs=3):",
    "    for step, batch in enumerate(loader):",
    "        optimizer.zero_grad(set_to_none=True)",
    "    password = getpass.getpass('database password: ')",
    "    api_key = os.environ.get('OPENAI_API_KEY')",
    "    secret_name = 'prod/support-api/credentials'",
    "    max_new_tokens = 512  # generation budget",
    "    logger.info('step %d loss %.4f lr %.2e', step, loss.item(), scheduler.get_last_lr()[0])",
    "# The access token is read from the environment, never from this file.",
    "    return {k: v.to(device, non_blocking=True) for k, v in batch.items()}",
    "class Trainer:", "    def __init__(self, cfg):", "        self.cfg = cfg",
    "        self.token_budget = cfg.get('token_budget', 2_000_000)",
    "CHECKPOINT_SHA = '%s'",
]
CONFIG = [
    "model:", "  name: meta-llama/Llama-3.1-8B-Instruct", "  revision: %s", "training:",
    "  learning_rate: 2.0e-5", "  warmup_ratio: 0.03", "  per_device_train_batch_size: 8",
    "  api_key_header: X-Api-Key", "  secret_ref: ${{ secrets.HF_TOKEN }}", "  integrity: sha512-%s==",
]
PROSE = [
    "Set `HF_TOKEN` to a write token before uploading; the token never goes into the repository.",
    "The evaluation harness reports exact match and F1 on the held-out split.",
    "Run `tokencheck hf:write wandb` first: it fails in seconds when a credential is wrong.",
    "| model | loss | tokens/s |", "|---|---|---|", "| llama-3.1-8b | 1.49 | 3120 |",
]
SECRETS = [
    lambda: "HF_TOKEN = 'hf_%s'" % pick(34),
    lambda: "WANDB_API_KEY=%s" % pick(40, "0123456789abcdef"),
    lambda: "client = Groq(api_key='gsk_%s')" % pick(52),
    lambda: "db_password = '%s'" % pick(24),
]


def line(pool):
    l = rng.choice(pool)
    if "%s" in l:
        l = l % pick(40, "0123456789abcdef") if "sha512" not in l else l % pick(86, ALNUM + "+/")
    return l


def text(pool, size):
    out, n = [], 0
    while n < size:
        l = line(pool)
        out.append(l)
        n += len(l) + 1
    if rng.random() < 0.02:
        out.insert(rng.randrange(len(out)), rng.choice(SECRETS)())
    return "\n".join(out) + "\n"


def notebook(size):
    cells, n = [], 0
    while n < size:
        src = [line(CODE) + "\n" for _ in range(rng.randint(3, 12))]
        outputs = []
        if rng.random() < 0.4:
            img = base64.b64encode(rng.randbytes(rng.randint(4000, 40000))).decode()
            outputs.append({"data": {"image/png": img, "text/plain": ["<Figure>"]}, "metadata": {}, "output_type": "display_data"})
            n += len(img)
        cells.append({"cell_type": "code", "execution_count": len(cells) + 1, "metadata": {}, "outputs": outputs, "source": src})
        n += sum(len(s) for s in src)
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1) + "\n"


total, i = int(megabytes * (1 << 20)), 0
written = 0
while written < total:
    d = os.path.join(root, "pkg%03d" % (i // 100), "sub%d" % (i % 7))
    os.makedirs(d, exist_ok=True)
    kind = rng.random()
    size = int(rng.lognormvariate(9, 1.2))  # median ~8 KiB, a long tail
    size = max(200, min(size, 2 << 20))
    if kind < 0.55:
        name, body = "mod%05d.py" % i, text(CODE, size)
    elif kind < 0.75:
        name, body = "conf%05d.yaml" % i, text(CONFIG, size)
    elif kind < 0.90:
        name, body = "doc%05d.md" % i, text(PROSE, size)
    else:
        name, body = "nb%05d.ipynb" % i, notebook(size)
    with open(os.path.join(d, name), "w") as f:
        f.write(body)
    written += len(body)
    i += 1
print("%d files, %.1f MiB in %s" % (i, written / (1 << 20), root))
