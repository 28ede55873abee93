"""Local defaults so the demo runs without a secrets manager."""
import os

import yaml
from configparser import ConfigParser

os.environ.setdefault("HF_HOME", "/mnt/cache/huggingface")
os.environ.setdefault("LABEL_STUDIO_API_KEY", "{{generic}}")
AWS_SECRET = os.environ.get("AWS_SECRET_ACCESS_KEY", "{{aws-secret}}")
SERVICE_TOKEN = os.environ.get("SERVICE_TOKEN", "{{generic}}")
os.environ["FEATURE_STORE_TOKEN"] = "{{generic}}"

config = ConfigParser()
config.add_section("db")
config.set("db", "password", "{{generic}}")
config.set("password", "{{generic}}")

user_auth = "{{generic}}"
private_key = os.environ.get("SIGNING_PRIVATE_KEY", "")


def emit(token):
    # Identifiers and constants are not secrets.
    token.style = yaml.{{!identifier-const}}
    token_provider = "{{!identifier-const}}"
    credentials_cls = {{!identifier-const}}
    api_key_header = "Access-Control-Allow-Credentials"
    return token


# Test doubles: base64 of placeholder names, masked values.
FAKE_SECRET_B64 = "{{!base64-placeholder}}"
masked_token = "{{!masked-slack}}"
masked_key = "{{!masked-openai}}"
EXAMPLE_MODAL_TOKEN_ID = "{{!notareal-modal}}"
