package scan

import (
	"encoding/base64"
	"slices"
	"strings"
	"testing"
)

// inspectIn runs an inspector on the first occurrence of secret in text.
func inspectIn(t *testing.T, in inspector, text, secret string) (verdict, detail) {
	t.Helper()
	i := strings.Index(text, secret)
	if i < 0 {
		t.Fatalf("%q not in the text", secret)
	}
	return in([]byte(text), i, i+len(secret))
}

func TestInspectNeptune(t *testing.T) {
	enc := func(js string) string { return base64.StdEncoding.EncodeToString([]byte(js)) }
	live := enc(`{"api_address":"https://neptune.lab.internal","api_url":"https://neptune.lab.internal","api_key":"7c1e9a3f-2b6d-4e8a-9f0c-5d3b1a7e2c4f"}`)
	if v, d := inspectIn(t, inspectNeptune, "NEPTUNE_API_TOKEN="+live, live); v != keepIt || d.note != "server neptune.lab.internal" {
		t.Errorf("live token: %d %q", v, d.note)
	}
	// neptune.ANONYMOUS_API_TOKEN as neptune-client publishes it, with
	// its trailing newline inside.
	anon := "eyJhcGlfYWRkcmVzcyI6Imh0dHBzOi8vYXBwLm5lcHR1bmUuYWkiLCJhcGlfdXJsIjoiaHR0cHM6Ly9hcHAubmVwdHVuZS5haSIsImFwaV9rZXkiOiJiNzA2YmM4Zi03NmY5LTRjMmUtOTM5ZC00YmEwMzZmOTMyZTQifQo="
	for name, tok := range map[string]string{
		"anonymous":  anon,
		"no api_key": enc(`{"api_address":"https://app.neptune.ai","api_url":"https://app.neptune.ai"}`),
		"no address": enc(`{"api_key":"7c1e9a3f-2b6d-4e8a-9f0c-5d3b1a7e2c4f"}`),
		"not json":   enc(`{"api_address": truncated`),
		"first half": anon[:96],
	} {
		if v, _ := inspectIn(t, inspectNeptune, tok, tok); v != dismiss {
			t.Errorf("%s: verdict %d, want dismiss", name, v)
		}
	}
}

func TestConnectionString(t *testing.T) {
	for _, c := range []struct {
		text string
		want verdict
	}{
		{`"Server=tcp:db,1433;Initial Catalog=x;User ID=u;Password=Pw0rdF6UHgNJ;Encrypt=True;"`, keepIt},
		{`Password=Pw0rdF6UHgNJ;Data Source=db;`, keepIt}, // password first
		{`'Driver={ODBC Driver 18 for SQL Server};Server=wh;Uid=etl;Pwd=Pw0rdF6UHgNJ;'`, keepIt},
		{`password=Pw0rdF6UHgNJ`, notOurs},                        // an .env line
		{`https://x/login?user=u&password=Pw0rdF6UHgNJ`, notOurs}, // a URL query
		{`"a=1;b=2;password=Pw0rdF6UHgNJ"`, notOurs},              // no connection key
	} {
		if v, _ := inspectIn(t, connectionString, c.text, "Pw0rdF6UHgNJ"); v != c.want {
			t.Errorf("%s: verdict %d, want %d", c.text, v, c.want)
		}
	}
}

func TestKaggleNotes(t *testing.T) {
	const key = "5d9b1c0e7f3a42b8a6e4c2d19f07b3e5"
	v, d := inspectIn(t, kaggleUsername, "KAGGLE_USERNAME=vision-lab\nKAGGLE_KEY="+key, key)
	if v != keepIt || d.note != "username vision-lab" {
		t.Errorf("env pair: %d %q", v, d.note)
	}
	if v, d := inspectIn(t, kaggleUsername, "KAGGLE_KEY="+key, key); v != keepIt || d.note != "" {
		t.Errorf("key alone: %d %q", v, d.note)
	}
	if v, d := inspectIn(t, kaggleJSON, `{"key": "`+key+`", "username": "nlp"}`, key); v != keepIt || d.note != "username nlp" {
		t.Errorf("kaggle.json: %d %q", v, d.note)
	}
	if v, _ := inspectIn(t, kaggleJSON, `{"key": "`+key+`", "value": 1}`, key); v != notOurs {
		t.Errorf("a key without a username: %d", v)
	}
}

// A rule whose context is missing leaves the span to others: a Google API
// key with no Gemini nearby is still reported, by gcp-api-key; a DeepSeek
// shape with no DeepSeek nearby is not claimed as DeepSeek's.
func TestContextRulesLeaveTheSpan(t *testing.T) {
	e := newEngine(t, Config{})
	key := "AIzaSyB3kR9mT2xW7qN5vL8cJ4pF6sD1gA0eY3u"
	cases := []struct {
		text string
		want []string
	}{
		{"MAPS_API_KEY=" + key, []string{"gcp-api-key"}},
		{"GEMINI_API_KEY=" + key, []string{"gemini-api-key"}},
		{"api_key = 'sk-4b9e2c7a1f3d48e6a0c5b8d2e7f1a3c9'", nil},
		{"DEEPSEEK_API_KEY='sk-4b9e2c7a1f3d48e6a0c5b8d2e7f1a3c9'", []string{"deepseek-api-key"}},
	}
	for _, c := range cases {
		if got := ruleIDs(e.Scan(Fragment{Path: "a.env", Content: []byte(c.text)})); !slices.Equal(got, c.want) {
			t.Errorf("%s: rules %v, want %v", c.text, got, c.want)
		}
	}
}

// The Kaggle finding names the account, never the key.
func TestKaggleFindingNote(t *testing.T) {
	e := newEngine(t, Config{})
	const key = "5d9b1c0e7f3a42b8a6e4c2d19f07b3e5"
	fs := e.Scan(Fragment{Path: "kaggle.json", Content: []byte(`{"username":"vision-lab","key":"` + key + `"}`)})
	if len(fs) != 1 || fs[0].RuleID != "kaggle-json-key" || fs[0].Note != "username vision-lab" || fs[0].Secret != key {
		t.Fatalf("findings %+v", fs)
	}
	if strings.Contains(fs[0].Note, key[:8]) || strings.Contains(fs[0].Masked, key[:12]) {
		t.Errorf("the key shows: %+v", fs[0])
	}
}
