"""Routes a prompt to the cheapest provider that serves the model."""

import os

import google.generativeai as genai
import requests
from openai import AzureOpenAI, OpenAI

PROVIDERS = {
    "openrouter": OpenAI(base_url="https://openrouter.ai/api/v1", api_key="{{openrouter}}"),
    "xai": OpenAI(base_url="https://api.x.ai/v1", api_key="{{xai}}"),
    "perplexity": OpenAI(base_url="https://api.perplexity.ai", api_key="{{perplexity}}"),
    "fireworks": OpenAI(base_url="https://api.fireworks.ai/inference/v1", api_key="{{fireworks}}"),
}

# DeepSeek is OpenAI-compatible; the key below is the team key.
deepseek = OpenAI(
    api_key="{{deepseek}}",
    base_url="https://api.deepseek.com/v1",
)

azure = AzureOpenAI(
    azure_endpoint="https://router-westeu.openai.azure.com/",
    api_key="{{azure-openai}}",
    api_version="2024-06-01",
)

genai.configure(api_key="{{gemini}}")

# Not secrets: hashes of the prompt templates and a request id.
TEMPLATE_MD5 = "{{!md5}}"
TEMPLATE_SHA1 = "{{!sha1}}"
TRACE_ID = "{{!uuid}}"
EXAMPLE_KEY = "{{!openrouter-dots}}"


def call_service(token=None):
    headers = {"Authorization": "Bearer " + (token or "{{jwt-api}}")}
    return requests.get("https://features.internal/v1/rows", headers=headers, timeout=5)
