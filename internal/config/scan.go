package config

// Scan is the [scan] table: allowlists and custom rules of secretscan.
type Scan struct{}
