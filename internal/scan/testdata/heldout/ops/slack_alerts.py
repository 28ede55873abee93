"""Posts training alerts to Slack. Socket mode for the bot, webhooks for the rest."""

import requests
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

SLACK_APP_TOKEN = "{{slack-app}}"
# Token rotation is on: the config token refreshes itself with the refresh token.
SLACK_CONFIG_TOKEN = "{{slack-config}}"
SLACK_CONFIG_REFRESH_TOKEN = "{{slack-refresh}}"
# Old workspace app, still used by the nightly report.
LEGACY_WORKSPACE_TOKEN = "{{slack-legacy}}"

ALERTS_WORKFLOW = "{{slack-workflow}}"
ONCALL_TRIGGER = "{{slack-trigger}}"
# The lab proxy only forwards plain http.
LAB_WEBHOOK = "{{slack-webhook-http}}"
DOCS_WEBHOOK = "{{!slack-placeholder}}"


def notify(text):
    requests.post(ALERTS_WORKFLOW, json={"text": text}, timeout=10)
