package testkit

import (
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
)

// Mode is how a Proxy treats connections.
type Mode string

// The proxy's modes: a real network, and three ways of being cut off.
const (
	Pass   Mode = "pass"   // pipe every connection to the target
	Refuse Mode = "refuse" // nothing listens: connections are refused
	Reset  Mode = "reset"  // accept, then reset the connection at once
	Hang   Mode = "hang"   // accept and never answer (one bar of signal, a captive portal)
)

// ParseMode returns the Mode named s.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case Pass, Refuse, Reset, Hang:
		return m, nil
	}
	return "", fmt.Errorf("testkit: unknown proxy mode %q (pass, refuse, reset, hang)", s)
}

// Proxy is a TCP proxy on loopback in front of a real server, so a test
// can cut the connection (a database outage, a phone losing its network)
// and restore it on the same address. Cutting closes every open
// connection, so nothing kept alive slips through.
type Proxy struct {
	t      testing.TB
	Addr   string
	target string
	mu     sync.Mutex
	ln     net.Listener
	mode   Mode
	conns  map[net.Conn]bool
}

// NewProxy starts a proxy to target (host:port), closed with the test.
func NewProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	p := &Proxy{t: t, target: target, mode: Pass, conns: map[net.Conn]bool{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.Addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.Down)
	return p
}

func (p *Proxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go p.acceptLoop(ln)
}

// handle treats a new connection as the current mode says.
func (p *Proxy) handle(c net.Conn) {
	p.mu.Lock()
	mode := p.mode
	if mode == Hang {
		p.conns[c] = true // held open until the mode changes
	}
	p.mu.Unlock()
	switch mode {
	case Hang:
		return
	case Reset, Refuse:
		resetConn(c)
		return
	}
	p.pipe(c)
}

// resetConn closes c with a TCP reset rather than an orderly close.
func resetConn(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	c.Close()
}

func (p *Proxy) pipe(c net.Conn) {
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	if p.mode != Pass { // cut while dialling
		p.mu.Unlock()
		up.Close()
		resetConn(c)
		return
	}
	p.conns[c], p.conns[up] = true, true
	p.mu.Unlock()
	go func() { io.Copy(up, c); up.Close() }()
	io.Copy(c, up)
	c.Close()
}

// Set switches the proxy to mode m. Leaving Pass cuts every open
// connection; Refuse stops listening, and any other mode listens again on
// the same address.
func (p *Proxy) Set(m Mode) {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.mode = m
	for c := range p.conns {
		resetConn(c)
	}
	p.conns = map[net.Conn]bool{}
	if m == Refuse {
		if p.ln != nil {
			p.ln.Close()
			p.ln = nil
		}
		return
	}
	if p.ln == nil {
		ln, err := net.Listen("tcp", p.Addr)
		if err != nil {
			p.t.Errorf("testkit: proxy listen again on %s: %v", p.Addr, err)
			return
		}
		p.ln = ln
		go p.acceptLoop(ln)
	}
}

func (p *Proxy) acceptLoop(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go p.handle(c)
	}
}

// Down refuses new connections and cuts the open ones.
func (p *Proxy) Down() { p.Set(Refuse) }

// Up passes connections through again, on the same address.
func (p *Proxy) Up() { p.Set(Pass) }
