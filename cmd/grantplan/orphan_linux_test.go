package main

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes the process cmd starts end when the test does,
// also when the test ends by a panic before its cleanup has run.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
