package authlog_test

import (
	"testing"

	"github.com/tokenguard/tokenguard/internal/authlog"
)

func TestStateDirAndDefaultAuditPath(t *testing.T) {
	tests := []struct {
		name      string
		env       map[string]string
		wantState string
		wantAudit string
	}{
		{
			name:      "home only",
			env:       map[string]string{"HOME": "/home/ada"},
			wantState: "/home/ada/.local/state/tokenguard",
			wantAudit: "/home/ada/.local/state/tokenguard/audit.log",
		},
		{
			name:      "XDG_STATE_HOME wins over HOME",
			env:       map[string]string{"HOME": "/home/ada", "XDG_STATE_HOME": "/srv/state"},
			wantState: "/srv/state/tokenguard",
			wantAudit: "/srv/state/tokenguard/audit.log",
		},
		{
			name:      "relative XDG_STATE_HOME is ignored",
			env:       map[string]string{"HOME": "/home/ada", "XDG_STATE_HOME": "state"},
			wantState: "/home/ada/.local/state/tokenguard",
			wantAudit: "/home/ada/.local/state/tokenguard/audit.log",
		},
		{
			name:      "TOKENGUARD_AUDIT_LOG wins for the audit log only",
			env:       map[string]string{"HOME": "/home/ada", "XDG_STATE_HOME": "/srv/state", "TOKENGUARD_AUDIT_LOG": "/var/log/tg.jsonl"},
			wantState: "/srv/state/tokenguard",
			wantAudit: "/var/log/tg.jsonl",
		},
		{
			name:      "TOKENGUARD_AUDIT_LOG needs no HOME",
			env:       map[string]string{"TOKENGUARD_AUDIT_LOG": "/var/log/tg.jsonl"},
			wantState: "", // error
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

			state, err := authlog.StateDir(getenv)
			if tt.wantState == "" {
				if err == nil {
					t.Errorf("StateDir = %q, want an error", state)
				}
			} else if err != nil || state != tt.wantState {
				t.Errorf("StateDir = %q, %v; want %q", state, err, tt.wantState)
			}

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
