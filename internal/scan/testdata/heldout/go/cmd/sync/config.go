package main

// Settings of the artifact sync daemon.

var apiToken string = "{{generic}}"

var (
	tokenHeader          = "Authorization"
	secretVersion        = "{{!sha1}}"
	credsFile     string = "/etc/sync/creds.json"
)

const passwordEnv = "SYNC_PASSWORD"
