package scanconf

import (
	"reflect"
	"testing"

	"github.com/tokenguard/tokenguard/internal/config"
	"github.com/tokenguard/tokenguard/internal/scan"
)

// config keeps its own copies of the engine's spec types (so that tokenage
// does not link the engine). The conversion in engineConfig already fails to
// compile when names, types or order differ; this catches a differing TOML
// key, which the compiler ignores.
func TestConfigCopiesTheEngineSpecKeys(t *testing.T) {
	for _, pair := range [][2]reflect.Type{
		{reflect.TypeFor[config.Rule](), reflect.TypeFor[scan.RuleSpec]()},
		{reflect.TypeFor[config.Allowlist](), reflect.TypeFor[scan.AllowlistSpec]()},
	} {
		ours, engine := pair[0], pair[1]
		if ours.NumField() != engine.NumField() {
			t.Fatalf("%s has %d fields, %s %d", ours, ours.NumField(), engine, engine.NumField())
		}
		for i := range ours.NumField() {
			a, b := ours.Field(i), engine.Field(i)
			if a.Tag.Get("toml") != b.Tag.Get("toml") {
				t.Errorf("%s.%s is toml:%q, %s.%s toml:%q", ours, a.Name, a.Tag.Get("toml"), engine, b.Name, b.Tag.Get("toml"))
			}
		}
	}
}
