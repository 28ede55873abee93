package statedir

import "testing"

func TestDir(t *testing.T) {
	for _, tt := range []struct {
		name string
		env  map[string]string
		want string // "" wants an error
	}{
		{"home only", map[string]string{"HOME": "/home/ada"}, "/home/ada/.local/state/tokenguard"},
		{"XDG_STATE_HOME wins over HOME", map[string]string{"HOME": "/home/ada", "XDG_STATE_HOME": "/srv/state"}, "/srv/state/tokenguard"},
		{"relative XDG_STATE_HOME is ignored", map[string]string{"HOME": "/home/ada", "XDG_STATE_HOME": "state"}, "/home/ada/.local/state/tokenguard"},
		{"nothing set", map[string]string{}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Dir(func(k string) string { return tt.env[k] })
			switch {
			case tt.want == "" && err == nil:
				t.Errorf("Dir = %q, want an error", got)
			case tt.want != "" && (err != nil || got != tt.want):
				t.Errorf("Dir = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
