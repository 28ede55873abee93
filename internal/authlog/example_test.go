package authlog_test

import (
	"fmt"
	"os"

	"github.com/sirupsen/logrus"

	"github.com/tokenguard/tokenguard/internal/authlog"
)

func ExampleNew() {
	log, closeLog, err := authlog.New(authlog.Options{
		Tool:   "tokencheck",
		Stderr: os.Stdout, // os.Stderr in a real binary
		// AuditPath: from authlog.DefaultAuditPath(os.Getenv)
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer closeLog()

	log.WithFields(logrus.Fields{
		authlog.FieldProvider: "hf",
		authlog.FieldStatus:   "missing",
		authlog.FieldHint:     "set HF_TOKEN or run `hf auth login`",
	}).Error("no hugging face token found")
	log.Info("not shown: the console starts at warnings unless Verbose")
	// Output:
	// tokencheck: error: no hugging face token found
	// tokencheck: hint: set HF_TOKEN or run `hf auth login`
}
