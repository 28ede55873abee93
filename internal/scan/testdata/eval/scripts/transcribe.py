"""Transcribes the interview set, synthesises the answers, labels the frames."""

import os

import assemblyai as aai
import requests
import runpod
from comet_ml import Experiment
from roboflow import Roboflow

aai.settings.api_key = "{{assemblyai}}"
ASSEMBLYAI_API_KEY = "{{assemblyai}}"

ELEVEN_HEADERS = {"xi-api-key": "{{elevenlabs-hex}}", "accept": "audio/mpeg"}

runpod.api_key = "{{runpod-legacy}}"
RUNPOD_API_KEY = "{{runpod-legacy}}"

rf = Roboflow(api_key="{{roboflow}}")
ROBOFLOW_API_KEY = "{{roboflow}}"

experiment = Experiment(api_key=os.environ["COMET_API_KEY"], project_name="asr")
AUDIO_MD5 = "{{!md5}}"
UPLOAD_ID = "{{!uuid}}"
