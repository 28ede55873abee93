// Package secretscan is the secretscan command line: it finds credentials in
// files, directory trees and standard input before they reach a repository.
package secretscan

import (
	"context"
	"io"
	"os"

	"github.com/alecthomas/kong"
	"github.com/sirupsen/logrus"

	"github.com/tokenguard/tokenguard/internal/bytesize"
	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/cli/scanconf"
	"github.com/tokenguard/tokenguard/internal/config"
	"github.com/tokenguard/tokenguard/internal/scan"
	"github.com/tokenguard/tokenguard/internal/source"
)

const name = "secretscan"

// cli is the whole command line.
type cli struct {
	Format        string        `short:"f" default:"text" enum:"text,json,sarif,github" help:"Report format: ${enum}."`
	Report        string        `placeholder:"PATH" help:"Write the report to PATH instead of stdout, only once the scan has completed; an existing file is replaced (mode 0600)."`
	NoRedact      bool          `name:"no-redact" help:"Show secret values in the report. Never the default; avoid in CI logs."`
	Verify        bool          `help:"Check findings of Hugging Face, GitHub, W&B, OpenAI, Anthropic and Modal (id and secret in one file) live against their own provider only; each shows valid, invalid or unknown."`
	Baseline      string        `placeholder:"PATH" env:"TOKENGUARD_BASELINE" help:"Accepted findings to leave out (default: [scan] baseline of the config, else ${default_baseline} when it exists)."`
	Config        string        `placeholder:"PATH" env:"TOKENGUARD_CONFIG" help:"Configuration file (default: .tokenguard.toml here or in a parent, up to the repository root)."`
	MaxSize       bytesize.Size `name:"max-size" placeholder:"SIZE" env:"TOKENGUARD_MAX_FILE_SIZE" help:"Leave files larger than SIZE unscanned, e.g. 512KiB, 1.5MiB or 20MB (default: [scan] max_file_size, else 10MiB); they are listed in the report and make the exit code 3 unless --allow-large."`
	AllowLarge    bool          `name:"allow-large" env:"TOKENGUARD_ALLOW_LARGE" help:"Accept files over --max-size unscanned: still listed in the report, but no longer exit 3."`
	clikit.Common `embed:""`

	Files     filesCmd    `cmd:"" help:"Scan the files given (what the pre-commit framework passes)."`
	Dir       dirCmd      `cmd:"" help:"Scan a directory tree (default: the current directory)."`
	Stdin     stdinCmd    `cmd:"" help:"Scan standard input."`
	Staged    stagedCmd   `cmd:"" help:"Scan what is staged for the next commit (the git pre-commit hook)."`
	Range     rangeCmd    `cmd:"" help:"Scan the commits of a range: A..B, --since REF or --not-pushed."`
	History   historyCmd  `cmd:"" help:"Scan every commit of the history, merges included."`
	Hub       hubCmd      `cmd:"" help:"Scan models, datasets and Spaces on the Hugging Face Hub, whole history, one by one or a user's or organisation's."`
	Merge     mergeCmd    `cmd:"" help:"Combine JSON reports (the shards of secretscan hub --shard) into one, in any format."`
	Baseline_ baselineCmd `cmd:"" name:"baseline" help:"Accept the current findings: write them to the baseline file."`
	Rules     rulesCmd    `cmd:"" help:"List the detection rules."`
}

// scanner is one run of a scanning command: the flags, the configuration
// and engine, the log, and what the sources left out. The scanning
// commands' Run methods get it (kong binds it by type).
type scanner struct {
	ctx            context.Context
	stdout, stderr io.Writer
	stdin          io.Reader
	log            *logrus.Logger
	cli            *cli
	setup          *scanconf.Setup
	config         config.Scan // setup's [scan] table
	engine         *scan.Engine
	skips          source.Skips // what the sources left out
}

// Main runs secretscan with args and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	return run(args, os.Stdin, stdout, stderr)
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var c cli
	kctx, code, done := clikit.Parse(name, &c, args, stdout, stderr,
		kong.Description("Find credentials (Hugging Face, Modal, GitHub, W&B, OpenAI, Anthropic, cloud and database keys, and more) in files, trees and standard input, notebooks included, before they are committed.\n\n"+clikit.ExitCodesHelp+" Exit 1 means secrets were found that no baseline, allowlist or tokenguard:allow comment accepts (whatever else could not be read); without findings, exit 3 means something was left unscanned (over --max-size, unreadable, not a regular file), as the report lists; binary files are listed but do not count."),
		kong.Vars{
			"default_baseline": scanconf.DefaultBaseline,
			"verbose_help":     "Also print each file not scanned, and progress, on stderr.",
			"timeout_help":     "With --verify, give up on one credential after this long, retries included.",
			"timeout_default":  "30s",
		},
	)
	if done {
		return code
	}
	// Ctrl-C stops a scan or the checks of --verify in flight.
	return clikit.Run(name, stderr, func(ctx context.Context) error {
		log, closeLog := c.OpenLog(name, stderr)
		defer closeLog()
		cwd, _ := os.Getwd()
		setup, err := scanconf.Load(c.Config, cwd)
		if err != nil {
			return err
		}
		kctx.Bind(&scanner{ctx: ctx, stdout: stdout, stderr: stderr, stdin: stdin, log: log, cli: &c,
			setup: setup, config: setup.File.Scan, engine: setup.Engine}, setup.Engine, clikit.Stdio{In: stdin, Out: stdout, Err: stderr})
		return kctx.Run()
	})
}

// loadBaseline reads the baseline in force: --baseline, else [scan]
// baseline, else the default file when it exists.
func (d *scanner) loadBaseline() (*scan.Baseline, error) {
	return d.setup.Baseline(d.cli.Baseline, ".")
}
