package lite

// GitHub finds GitHub tokens in the order of the gh CLI: GH_TOKEN, GITHUB_TOKEN, then gh's hosts.yml.
func GitHub(env Env) []Credential {
	return append(fromVars(env, "github", "GH_TOKEN", "GITHUB_TOKEN"), ghHosts(env)...)
}

// OpenAI finds OPENAI_API_KEY.
func OpenAI(env Env) []Credential { return fromVars(env, "openai", "OPENAI_API_KEY") }

// Anthropic finds ANTHROPIC_API_KEY.
func Anthropic(env Env) []Credential { return fromVars(env, "anthropic", "ANTHROPIC_API_KEY") }
