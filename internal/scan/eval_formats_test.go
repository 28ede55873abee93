package scan

import (
	"encoding/base64"
	"fmt"
	"maps"
)

// The generators of the formats of issue 14, added to those of
// eval_test.go. Shapes follow each provider's documentation (see the rules'
// descriptions and the README rules table).

const (
	digits   = "0123456789"
	upperNum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	lowerNum = "abcdefghijklmnopqrstuvwxyz0123456789"
)

// jwtHS256 is the header {"alg":"HS256","typ":"JWT"}.
const jwtHS256 = `{"alg":"HS256","typ":"JWT"}`

// jwt signs nothing: the signature is random bytes of HS256's length.
func (g evalGen) jwt(header, payload string) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload)) + "." + g.pick(urlB64, 43)
}

// supabase is a Supabase project key: HS256, iss supabase, the project ref,
// a role, issued in 2024 and valid ten years, as the dashboard shows them.
func (g evalGen) supabase(role string) string {
	return g.jwt(jwtHS256, fmt.Sprintf(`{"iss":"supabase","ref":"%s","role":"%s","iat":1717171717,"exp":2032747717}`, g.pick("abcdefghijklmnopqrstuvwxyz", 20), role))
}

// neptune is a Neptune API token: base64 of its JSON.
func (g evalGen) neptune() string {
	h := g.pick(hexLow, 32)
	key := h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:]
	js := fmt.Sprintf(`{"api_address":"https://app.neptune.ai","api_url":"https://app.neptune.ai","api_key":"%s"}`, key)
	return base64.StdEncoding.EncodeToString([]byte(js))
}

func init() {
	type pos = struct {
		provider string
		gen      func(g evalGen) string
	}
	maps.Copy(positives, map[string]pos{
		"kaggle":     {"kaggle", func(g evalGen) string { return g.pick(hexLow, 32) }},
		"openrouter": {"openrouter", func(g evalGen) string { return "sk-or-v1-" + g.pick(hexLow, 64) }},
		"slack-app": {"slack", func(g evalGen) string {
			return "xapp-1-A" + g.pick(upperNum, 10) + "-" + g.pick(digits, 13) + "-" + g.pick(hexLow, 64)
		}},
		"slack-config":  {"slack", func(g evalGen) string { return "xoxe.xoxp-1-" + g.pick(alnum, 164) }},
		"slack-refresh": {"slack", func(g evalGen) string { return "xoxe-1-" + g.pick(alnum, 146) }},
		"slack-legacy": {"slack", func(g evalGen) string {
			return "xoxa-2-" + g.pick(digits, 12) + "-" + g.pick(digits, 12) + "-" + g.pick(digits, 12) + "-" + g.pick(hexLow, 64)
		}},
		"slack-workflow": {"slack", func(g evalGen) string {
			return "https://hooks.slack.com/workflows/T" + g.pick(upperNum, 10) + "/A" + g.pick(upperNum, 10) + "/" + g.pick(digits, 18) + "/" + g.pick(alnum, 24)
		}},
		"slack-trigger": {"slack", func(g evalGen) string {
			return "https://hooks.slack.com/triggers/T" + g.pick(upperNum, 10) + "/" + g.pick(digits, 13) + "/" + g.pick(hexLow, 32)
		}},
		"slack-webhook-http": {"slack", func(g evalGen) string {
			return "http://hooks.slack.com/services/T" + g.pick(upperNum, 10) + "/B" + g.pick(upperNum, 10) + "/" + g.pick(alnum, 24)
		}},
		"github-legacy":    {"github", func(g evalGen) string { return g.pick(hexLow, 40) }},
		"jwt-service-role": {"jwt", func(g evalGen) string { return g.supabase("service_role") }},
		"jwt-api": {"jwt", func(g evalGen) string {
			return g.jwt(`{"alg":"RS256","typ":"JWT","kid":"`+g.pick(alnum, 16)+`"}`, fmt.Sprintf(`{"sub":"svc-%s","scope":"datasets:read models:write","iat":1767225600,"exp":4102444800}`, g.pick(lowerNum, 8)))
		}},
		"jwt-no-exp": {"jwt", func(g evalGen) string {
			return g.jwt(jwtHS256, fmt.Sprintf(`{"sub":"%s","role":"authenticated","aud":"authenticated"}`, g.pick(lowerNum, 12)))
		}},
		"jdbc-password":  {"database", func(g evalGen) string { return g.pick(alnum, 18) }},
		"ado-password":   {"database", func(g evalGen) string { return g.pick(alnum, 16) + "!" + g.pick(alnum, 3) }},
		"xai":            {"xai", func(g evalGen) string { return "xai-" + g.pick(alnum, 80) }},
		"deepseek":       {"deepseek", func(g evalGen) string { return "sk-" + g.pick(hexLow, 32) }},
		"perplexity":     {"perplexity", func(g evalGen) string { return "pplx-" + g.pick(alnum, 48) }},
		"fireworks":      {"fireworks", func(g evalGen) string { return "fw_" + g.pick(alnum, 24) }},
		"gemini":         {"gemini", func(g evalGen) string { return "AIza" + g.pick(urlB64, 35) }},
		"azure-openai":   {"azure-openai", func(g evalGen) string { return g.pick(hexLow, 32) }},
		"databricks":     {"databricks", func(g evalGen) string { return "dapi" + g.pick(hexLow, 32) }},
		"databricks-2":   {"databricks", func(g evalGen) string { return "dapi" + g.pick(hexLow, 32) + "-2" }},
		"comet":          {"comet", func(g evalGen) string { return g.pick(alnum, 25) }},
		"neptune":        {"neptune", func(g evalGen) string { return g.neptune() }},
		"clearml-access": {"clearml", func(g evalGen) string { return g.pick(upperNum, 20) }},
		"clearml-secret": {"clearml", func(g evalGen) string { return g.pick(alnum, 50) }},
		"roboflow":       {"roboflow", func(g evalGen) string { return g.pick(alnum, 20) }},
		"elevenlabs":     {"elevenlabs", func(g evalGen) string { return "sk_" + g.pick(hexLow, 48) }},
		"elevenlabs-hex": {"elevenlabs", func(g evalGen) string { return g.pick(hexLow, 32) }},
		"assemblyai":     {"assemblyai", func(g evalGen) string { return g.pick(hexLow, 32) }},
		"runpod":         {"runpod", func(g evalGen) string { return "rpa_" + g.pick(upperNum, 44) }},
		"runpod-legacy":  {"runpod", func(g evalGen) string { return g.pick(upperNum, 32) }},
		"anyscale":       {"anyscale", func(g evalGen) string { return "esecret_" + g.pick(lowerNum, 26) }},
		"voyage":         {"voyage", func(g evalGen) string { return "pa-" + g.pick(urlB64, 43) }},
		"jina":           {"jina", func(g evalGen) string { return "jina_" + g.pick(hexLow, 32) + g.pick(alnum, 28) }},
		"cerebras":       {"cerebras", func(g evalGen) string { return "csk-" + g.pick(lowerNum, 48) }},
	})
	maps.Copy(negatives, map[string]func(g evalGen) string{
		"jwt-anon": func(g evalGen) string { return g.supabase("anon") },
		// The sample on jwt.io and in countless tutorials.
		"jwt-sample": func(g evalGen) string {
			return g.jwt(jwtHS256, `{"sub":"1234567890","name":"John Doe","iat":1516239022}`)
		},
		"jwt-truncated": func(g evalGen) string { return g.supabase("service_role")[:150] + "..." },
		"jwt-expired": func(g evalGen) string {
			return g.jwt(jwtHS256, fmt.Sprintf(`{"sub":"%s","role":"authenticated","iat":1600000000,"exp":1600003600}`, g.pick(lowerNum, 12)))
		},
		// An OIDC id token that names only its issuer and audience.
		"jwt-idtoken": func(g evalGen) string {
			return g.jwt(`{"alg":"RS256","kid":"`+g.pick(hexLow, 40)+`","typ":"JWT"}`, `{"iss":"https://accounts.google.com","aud":"32555940559.apps.googleusercontent.com","iat":1767225600,"exp":4102444800}`)
		},
		// The service_role key every `supabase start` prints: public.
		"jwt-demo": func(g evalGen) string {
			return g.jwt(jwtHS256, `{"iss":"supabase-demo","role":"service_role","exp":1983812996}`)
		},
		"openrouter-dots": func(evalGen) string { return "sk-or-v1-..." },
		// neptune.ANONYMOUS_API_TOKEN, published in neptune-client.
		"neptune-anon": func(evalGen) string {
			return base64.StdEncoding.EncodeToString([]byte(`{"api_address":"https://app.neptune.ai","api_url":"https://app.neptune.ai","api_key":"b706bc8f-76f9-4c2e-939d-4ba036f932e4"}`))
		},
		"jdbc-env": func(evalGen) string { return "${DB_PASSWORD}" },
	})
}
