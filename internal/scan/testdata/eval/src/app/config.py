import os
from dataclasses import dataclass, field


@dataclass
class Settings:
    hf_token: str = field(default_factory=lambda: os.environ["HF_TOKEN"])
    tokenizer_path: str = "models/llama-3/tokenizer.model"
    token_hash: str = "{{!sha256}}"
    api_key: str = os.getenv("API_KEY", "")
    max_new_tokens: int = 512
    secret_name: str = "prod/support-api/credentials"
    password_hash: str = "{{!md5}}"
    webhook_secret: str = "{{generic}}"
    internal_api_token: str = "{{generic}}"
    request_id: str = "{{!uuid}}"
    auth_token_path: str = "{{!identifier}}"
    placeholder_token: str = "{{!sequential}}"
    padding_secret: str = "{{!repeated}}"


DJANGO_SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "{{!changeme}}")
REVISION = "{{!git-sha}}"
