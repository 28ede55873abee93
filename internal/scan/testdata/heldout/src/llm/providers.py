"""Clients for every hosted model in the comparison table."""

import os

import assemblyai as aai
import google.generativeai as genai
from openai import AzureOpenAI, OpenAI
from roboflow import Roboflow

# DeepSeek speaks the OpenAI protocol.
deepseek = OpenAI(
    api_key="{{deepseek}}",
    base_url="https://api.deepseek.com",
)

azure = AzureOpenAI(
    api_key="{{azure-openai}}",
    api_version="2024-10-21",
    azure_endpoint="https://retrieval-eastus.openai.azure.com/",
)

genai.configure(api_key="{{gemini}}")
gemini = genai.GenerativeModel("gemini-1.5-flash")

aai.settings.api_key = "{{assemblyai}}"

rf = Roboflow(api_key="{{roboflow}}")
project = rf.workspace("retrieval").project("receipts")

ANYSCALE_API_KEY = "{{anyscale}}"
CACHE_KEY = "{{!md5}}"
MODEL_SHA = "{{!sha256}}"
REQUEST_ID = "{{!uuid}}"


def elevenlabs_headers():
    return {"xi-api-key": "{{elevenlabs-hex}}", "Content-Type": "application/json"}
