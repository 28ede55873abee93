package secretscan

import (
	"fmt"
	"text/tabwriter"

	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/scan"
)

type rulesCmd struct{}

func (c *rulesCmd) Help() string {
	return `Lists every rule in force: the built-in ones as adjusted by the [scan] table
of the configuration (custom rules added, rules replaced or disabled).

  $ secretscan rules`
}

func (c *rulesCmd) Run(engine *scan.Engine, std clikit.Stdio) error {
	tw := tabwriter.NewWriter(std.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tPROVIDER\tDESCRIPTION")
	for _, r := range engine.Rules() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Provider, r.Description)
	}
	return tw.Flush()
}
