// Command wegwijs answers Dutch professionals' questions about school
// absenteeism from a knowledge base of policy documents, and keeps that
// knowledge base. Subcommands: kb (documents), db (the database), and, as
// they land, ask, chat, serve, eval and redact.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if msg := userMessage(err); msg != "" {
			fmt.Fprintln(os.Stderr, msg)
		}
		os.Exit(exitCode(err))
	}
}
