package token

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/tokenguard/tokenguard/internal/token/tokentest"
)

func FuzzNetrc(f *testing.F) {
	f.Add([]byte("machine api.wandb.ai login user password KEY\n"), "api.wandb.ai")
	f.Add([]byte("macdef x\nmachine h password p\n\nmachine h password q # c\ndefault password d"), "h")
	f.Add([]byte("machine"), "")
	f.Add([]byte("password"), "")
	f.Add([]byte("machine h login"), "h")
	f.Add([]byte("\r\n\tmachine\x00h password \xff"), "h")
	f.Fuzz(func(t *testing.T, data []byte, host string) {
		pw, err := netrcPassword(data, host)
		if err != nil && pw != "" {
			t.Fatalf("netrcPassword(%q, %q) = %q and an error", data, host, pw)
		}
		if pw == "" {
			return
		}
		// What comes back is one word of the file.
		if strings.ContainsFunc(pw, unicode.IsSpace) || !strings.Contains(string(data), pw) {
			t.Fatalf("netrcPassword(%q, %q) = %q, not a word of the file", data, host, pw)
		}
	})
}

// twin replaces every letter and digit after the value's known prefix by
// another of the same kind (hex stays hex), so the value follows the same
// checks but reads differently.
func twin(v string) string {
	prefix, _, _ := strings.Cut(Credential{Value: v}.Masked(), "…")
	if !strings.HasPrefix(v, prefix) {
		prefix = ""
	}
	rot := func(b, lo, hi byte) byte { return lo + (b-lo+1)%(hi-lo+1) }
	out := []byte(v)
	for i := len(prefix); i < len(out); i++ {
		switch b := out[i]; {
		case '0' <= b && b <= '9':
			out[i] = rot(b, '0', '9')
		case 'a' <= b && b <= 'f':
			out[i] = rot(b, 'a', 'f')
		case 'g' <= b && b <= 'z':
			out[i] = rot(b, 'g', 'z')
		case 'A' <= b && b <= 'Z':
			out[i] = rot(b, 'A', 'Z')
		}
	}
	return string(out)
}

// messages joins the Msg of every problem.
func messages(probs []Problem) string {
	var msgs []string
	for _, p := range probs {
		msgs = append(msgs, p.Msg)
	}
	return strings.Join(msgs, "\n")
}

// showsValue describes how the problems Format finds in c show the value or
// the secret (of 8 characters or more), or returns "".
//
// A message may contain the value by coincidence ("does not start" is a fine
// W&B key to fuzz with); it shows the value only if the message for the twin
// value then shows the twin.
func showsValue(p Provider, c Credential) string {
	msg := messages(p.Format(c))
	for _, half := range []struct {
		v   string
		set func(*Credential, string)
	}{
		{c.Value, func(c *Credential, v string) { c.Value = v }},
		{c.Secret, func(c *Credential, v string) { c.Secret = v }},
	} {
		if len(half.v) < 8 || !strings.Contains(msg, half.v) {
			continue
		}
		tw := twin(half.v)
		if tw == half.v {
			continue
		}
		c2 := c
		half.set(&c2, tw)
		if strings.Contains(messages(p.Format(c2)), tw) {
			return fmt.Sprintf("the message shows the value %q: %s", half.v, msg)
		}
	}
	return ""
}

// leaky is a provider whose messages quote the value, to show that
// showsValue catches that.
type leaky struct{ HF }

func (leaky) Format(c Credential) []Problem {
	return []Problem{{Fatal: true, Msg: "bad token " + c.Value + " in " + c.Var, Hint: "fix it"}}
}

func TestShowsValue(t *testing.T) {
	c := Credential{Provider: "hf", Source: "env HF_TOKEN", Var: "HF_TOKEN", Value: "hf_" + alnum(10)}
	if showsValue(leaky{}, c) == "" {
		t.Error("showsValue misses a message that quotes the value")
	}
	if leak := showsValue(HF{}, c); leak != "" {
		t.Error(leak)
	}
	// A value that happens to be words of the message is not a leak.
	c.Value = "TG_FUZZ (env"
	c.Var, c.Source = "TG_FUZZ", "env TG_FUZZ"
	if !strings.Contains(messages(HF{}.Format(c)), c.Value) {
		t.Fatal("the coincidence case does not contain the value")
	}
	if leak := showsValue(HF{}, c); leak != "" {
		t.Errorf("a coincidence taken for a leak: %s", leak)
	}
}

func FuzzFormat(f *testing.F) {
	for _, v := range []string{
		"", "x", `"quoted"`, " space ", "a\x00b", "\xff\xfe",
		hfToken(), "api_org_" + alnum(34), "hf_" + alnum(12),
		githubToken("ghp_", alnum(30)), tokentest.GitHubClassic, tokentest.GitHubFineGrained, "ghs_1_" + alnum(80), hex40(),
		tokentest.ModalTokenID, tokentest.ModalTokenSecret, "ak-", "as-",
		tokentest.WandBKey, "local-" + hex40(), wandbV1(),
		openaiKey(), "sk-proj-" + alnum(40), anthropicKey(), "sk-ant-admin01-" + alnum(20),
	} {
		f.Add(v, "")
		f.Add(v, tokentest.ModalTokenSecret)
		f.Add(tokentest.ModalTokenID, v)
	}
	f.Fuzz(func(t *testing.T, value, secret string) {
		for _, p := range Providers() {
			c := Credential{Provider: p.Name(), Source: "env TG_FUZZ", Var: "TG_FUZZ", Value: value, Secret: secret}
			probs := p.Format(c)
			for _, prob := range probs {
				if prob.Msg == "" || prob.Hint == "" {
					t.Fatalf("%s: problem without a message or hint: %+v", p.Name(), prob)
				}
			}
			if leak := showsValue(p, c); leak != "" {
				t.Fatalf("%s: %s", p.Name(), leak)
			}
		}
	})
}

func FuzzParseRequirement(f *testing.F) {
	for _, s := range []string{"hf", "hf:write", "hf:read", " github:repo ", "modal:x", "github:", ":", "", "hf:write:x", "wandb\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRequirement(s)
		if err != nil {
			if err.Error() == "" || r != (Requirement{}) {
				t.Fatalf("ParseRequirement(%q) = %+v, %q", s, r, err)
			}
			return
		}
		p, ok := Lookup(r.Provider)
		if !ok {
			t.Fatalf("ParseRequirement(%q) accepted unknown provider %q", s, r.Provider)
		}
		if levels := p.Levels(); r.Level != "" && !slices.Contains(levels, r.Level) && !slices.Contains(levels, AnyLevel) {
			t.Fatalf("ParseRequirement(%q) accepted level %q of %s", s, r.Level, r.Provider)
		}
		// What the user wrote and what reports show read back the same.
		again, err := ParseRequirement(r.String())
		if err != nil || again != r {
			t.Fatalf("ParseRequirement(%q) = %+v, but its String %q reads back as %+v, %v", s, r, r.String(), again, err)
		}
	})
}
