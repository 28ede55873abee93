import os
import uuid

from anthropic import Anthropic
from openai import OpenAI

# Credentials come from the environment in CI; the literals are for the
# laptop run and must never be committed.
openai_client = OpenAI(api_key=os.environ.get("OPENAI_API_KEY", "{{openai-proj}}"))
claude = Anthropic(api_key="{{anthropic}}")
judge = OpenAI(api_key=os.environ["OPENAI_API_KEY"])

RUN_NAME = f"sft-{uuid.uuid4()}"
EXPERIMENT_ID = "{{!uuid}}"
DATASET_REVISION = "{{!git-sha}}"
tokenizer_name = "{{!model-id}}"
max_tokens = 4096
pad_token_id = 128001
token_budget = 2_000_000


def label(batch):
    out = claude.messages.create(model="claude-3-5-sonnet-latest", max_tokens=max_tokens, messages=batch)
    return out


def upload_training_file(path):
    return openai_client.files.create(file=open(path, "rb"), purpose="fine-tune")


# Old service account key, kept for the batch job until the migration.
BATCH_KEY = "{{openai-svc}}"
