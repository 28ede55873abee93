package authlog_test

import (
	"testing"

	"github.com/tokenguard/tokenguard/internal/authlog"
)

func TestDefaultAuditPath(t *testing.T) {
	tests := []struct {
		name      string
		env       map[string]string
		wantAudit string
	}{
		{
			name:      "home only",
			env:       map[string]string{"HOME": "/home/ada"},
			wantAudit: "/home/ada/.local/state/tokenguard/audit.log",
		},
		{
			name:      "XDG_STATE_HOME wins over HOME",
			env:       map[string]string{"HOME": "/home/ada", "XDG_STATE_HOME": "/srv/state"},
			wantAudit: "/srv/state/tokenguard/audit.log",
		},
		{
			name:      "relative XDG_STATE_HOME is ignored",
			env:       map[string]string{"HOME": "/home/ada", "XDG_STATE_HOME": "state"},
			wantAudit: "/home/ada/.local/state/tokenguard/audit.log",
		},
		{
			name:      "TOKENGUARD_AUDIT_LOG wins for the audit log only",
			env:       map[string]string{"HOME": "/home/ada", "XDG_STATE_HOME": "/srv/state", "TOKENGUARD_AUDIT_LOG": "/var/log/tg.jsonl"},
			wantAudit: "/var/log/tg.jsonl",
		},
		{
			name:      "TOKENGUARD_AUDIT_LOG needs no HOME",
			env:       map[string]string{"TOKENGUARD_AUDIT_LOG": "/var/log/tg.jsonl"},
			wantAudit: "/var/log/tg.jsonl",
		},
		{
			name: "nothing set",
			env:  map[string]string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string { return tt.env[k] }

			audit, err := authlog.DefaultAuditPath(getenv)
			if tt.wantAudit == "" {
				if err == nil {
					t.Errorf("DefaultAuditPath = %q, want an error", audit)
				}
			} else if err != nil || audit != tt.wantAudit {
				t.Errorf("DefaultAuditPath = %q, %v; want %q", audit, err, tt.wantAudit)
			}
		})
	}
}
