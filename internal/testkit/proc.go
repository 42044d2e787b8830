package testkit

import "syscall"

// ChildProcAttr is the SysProcAttr for a server a test starts itself (a
// replica of the server under test): on Linux it dies with the test
// binary, so a run killed by -timeout leaves no process behind.
func ChildProcAttr() *syscall.SysProcAttr { return dieWithParent() }
