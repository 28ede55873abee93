// Package secretscan is the secretscan command line: it finds credentials in
// files, directory trees and standard input before they reach a repository.
package secretscan

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/alecthomas/kong"
	"github.com/sirupsen/logrus"

	"github.com/tokenguard/tokenguard/internal/bytesize"
	"github.com/tokenguard/tokenguard/internal/cli/clikit"
	"github.com/tokenguard/tokenguard/internal/config"
	"github.com/tokenguard/tokenguard/internal/scan"
	"github.com/tokenguard/tokenguard/internal/source"
)

const name = "secretscan"

// defaultBaseline is the baseline file used when neither --baseline nor the
// configuration names one.
const defaultBaseline = ".secretscan-baseline.json"

// cli is the whole command line.
type cli struct {
	Format     string           `short:"f" default:"text" enum:"text,json,sarif,github" help:"Report format: ${enum} (default ${default})."`
	Report     string           `placeholder:"PATH" help:"Write the report to PATH instead of stdout, only once the scan has completed; an existing file is replaced (mode 0600)."`
	NoRedact   bool             `name:"no-redact" help:"Show secret values in the report. Never the default; avoid in CI logs."`
	Verify     bool             `help:"Check findings of Hugging Face, GitHub, W&B, OpenAI, Anthropic and Modal (id and secret in one file) live against their own provider only; each shows valid, invalid or unknown."`
	Timeout    time.Duration    `default:"30s" env:"TOKENGUARD_TIMEOUT" help:"With --verify, give up on one credential after this long, retries included (default ${default})."`
	Baseline   string           `placeholder:"PATH" env:"TOKENGUARD_BASELINE" help:"Accepted findings to leave out (default: [scan] baseline of the config, else ${default_baseline} when it exists)."`
	Config     string           `placeholder:"PATH" env:"TOKENGUARD_CONFIG" help:"Configuration file (default: .tokenguard.toml here or in a parent, up to the repository root)."`
	MaxSize    bytesize.Size    `name:"max-size" placeholder:"SIZE" env:"TOKENGUARD_MAX_FILE_SIZE" help:"Leave files larger than SIZE unscanned, e.g. 512KiB, 1.5MiB or 20MB (default: [scan] max_file_size, else 10MiB); they are listed in the report and make the exit code 3 unless --allow-large."`
	AllowLarge bool             `name:"allow-large" env:"TOKENGUARD_ALLOW_LARGE" help:"Accept files over --max-size unscanned: still listed in the report, but no longer exit 3."`
	AuditLog   string           `name:"audit-log" env:"TOKENGUARD_AUDIT_LOG" placeholder:"PATH" help:"Append a JSON audit entry per scan to PATH (default: audit.log in the tokenguard state directory, under XDG_STATE_HOME)."`
	NoAuditLog bool             `name:"no-audit-log" help:"Write no audit log."`
	Verbose    bool             `short:"v" help:"Also print each file not scanned, and progress, on stderr."`
	Version    kong.VersionFlag `help:"Print the version and exit."`

	Files     filesCmd    `cmd:"" help:"Scan the files given (what the pre-commit framework passes)."`
	Dir       dirCmd      `cmd:"" help:"Scan a directory tree (default: the current directory)."`
	Stdin     stdinCmd    `cmd:"" help:"Scan standard input."`
	Staged    stagedCmd   `cmd:"" help:"Scan what is staged for the next commit (the git pre-commit hook)."`
	Range     rangeCmd    `cmd:"" help:"Scan the commits of a range: A..B, --since REF or --not-pushed."`
	History   historyCmd  `cmd:"" help:"Scan every commit of the history, merges included."`
	Baseline_ baselineCmd `cmd:"" name:"baseline" help:"Accept the current findings: write them to the baseline file."`
	Rules     rulesCmd    `cmd:"" help:"List the detection rules."`
}

// deps is what every command's Run gets: bound once in Main.
type deps struct {
	ctx            context.Context
	stdout, stderr io.Writer
	stdin          io.Reader
	log            *logrus.Logger
	cli            *cli
	config         config.Scan
	configPath     string
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
		kong.Vars{"default_baseline": defaultBaseline},
	)
	if done {
		return code
	}
	// Ctrl-C stops a scan or the checks of --verify in flight.
	return clikit.Run(name, stderr, func(ctx context.Context) error {
		d := &deps{ctx: ctx, stdout: stdout, stderr: stderr, stdin: stdin, cli: &c}
		log, closeLog := clikit.OpenLog(name, stderr, c.AuditLog, c.NoAuditLog, c.Verbose)
		d.log = log
		defer closeLog()
		if err := d.loadConfig(); err != nil {
			return err
		}
		return kctx.Run(d)
	})
}

// loadConfig reads the configuration and builds the engine from it.
func (d *deps) loadConfig() error {
	var (
		f   config.File
		err error
	)
	if d.cli.Config != "" {
		f, err = config.Read(d.cli.Config)
		d.configPath = d.cli.Config
	} else {
		cwd, _ := os.Getwd()
		f, d.configPath, err = config.Load(cwd)
	}
	if err != nil {
		return clikit.Errorf(clikit.ExitUsage, "fix the file, or see the README for the keys of the [scan] table", "%w", err)
	}
	d.config = f.Scan
	d.engine, err = scan.New(scan.Config{Rules: f.Scan.Rules, Disable: f.Scan.Disable, Allowlists: f.Scan.Allowlists})
	if err != nil {
		where := d.configPath
		if where == "" {
			where = "the built-in rules"
		}
		return clikit.Errorf(clikit.ExitUsage, "fix the [scan] table of "+where, "%s: %w", where, err)
	}
	return nil
}

// baselinePath is the baseline file in force and whether the user named it
// (a named baseline must exist).
func (d *deps) baselinePath() (string, bool) {
	if d.cli.Baseline != "" {
		return d.cli.Baseline, true
	}
	if d.config.Baseline != "" {
		return d.relToConfig(d.config.Baseline), true
	}
	return defaultBaseline, false
}

// relToConfig resolves a path from the configuration file against the
// file's directory.
func (d *deps) relToConfig(p string) string {
	if filepath.IsAbs(p) || d.configPath == "" {
		return p
	}
	return filepath.Join(filepath.Dir(d.configPath), p)
}

func (d *deps) loadBaseline() (*scan.Baseline, error) {
	p, named := d.baselinePath()
	if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) && !named {
		return nil, nil
	}
	bl, err := scan.LoadBaseline(p)
	if err != nil {
		return nil, clikit.Errorf(clikit.ExitUsage, "create it with 'secretscan baseline', or fix --baseline", "%w", err)
	}
	return bl, nil
}
