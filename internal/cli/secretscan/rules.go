package secretscan

import (
	"fmt"
	"text/tabwriter"
)

type rulesCmd struct{}

func (c *rulesCmd) Help() string {
	return `Lists every rule in force: the built-in ones as adjusted by the [scan] table
of the configuration (custom rules added, rules replaced or disabled).

  $ secretscan rules`
}

func (c *rulesCmd) Run(d *deps) error {
	tw := tabwriter.NewWriter(d.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tPROVIDER\tDESCRIPTION")
	for _, r := range d.engine.Rules() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Provider, r.Description)
	}
	return tw.Flush()
}
