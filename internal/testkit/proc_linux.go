package testkit

import "syscall"

// dieWithParent makes a started server die with the test binary, so a test
// run killed by -timeout leaves no gateway behind.
func dieWithParent() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
