"""Runtime settings, read from the environment."""
import os
from dataclasses import dataclass, field


@dataclass
class Settings:
    model_id: str = "{{!model-id}}"
    secret_name: str = "ml/prod/hub-token"
    token_budget: int = 2_000_000
    request_uuid: str = "{{!uuid}}"
    hub_token: str = field(default_factory=lambda: os.environ.get("HF_TOKEN", ""))
    github_token: str = "{{ghp}}"
    old_github_token: str = "{{!ghp-badcrc}}"
    weights_sha256: str = "{{!sha256}}"
    admin_password: str = "{{generic}}"
    cohere_api_key: str = "{{cohere}}"
    slack_bot_token: str = "{{slack-bot}}"
    placeholder_token: str = "{{!your-token}}"
    password_hint: str = "{{!changeme}}"


SETTINGS = Settings()
