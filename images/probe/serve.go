package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

func serveCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ports := fs.String("ports", "80,81", "comma-separated ports to serve TCP and UDP on")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var list []int
	for _, p := range strings.Split(*ports, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 1 || n > 65535 {
			fmt.Fprintf(stderr, "probe serve: bad port %q in --ports\n", p)
			return 2
		}
		list = append(list, n)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv, err := Listen(ctx, "", list)
	if err != nil {
		fmt.Fprintf(stderr, "probe serve: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "probe serving tcp+udp on %s\n", *ports)
	<-ctx.Done()
	srv.Close()
	return 0
}

// Server answers TCP connections with the hostname and echoes "<hostname> <datagram>" to UDP senders.
type Server struct {
	TCPAddrs []net.Addr
	UDPAddrs []net.Addr
	closers  []io.Closer
	wg       sync.WaitGroup
}

// Listen binds every port on host for both protocols (port 0 picks a free one, for tests).
func Listen(ctx context.Context, host string, ports []int) (*Server, error) {
	name, _ := os.Hostname()
	s := &Server{}
	for _, p := range ports {
		addr := net.JoinHostPort(host, strconv.Itoa(p))
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("listen tcp %s: %w", addr, err)
		}
		s.closers = append(s.closers, ln)
		s.TCPAddrs = append(s.TCPAddrs, ln.Addr())
		// Same port number for UDP as the TCP listener got, so port 0 pairs up in tests.
		udpAddr := net.JoinHostPort(host, strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
		pc, err := net.ListenPacket("udp", udpAddr)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("listen udp %s: %w", udpAddr, err)
		}
		s.closers = append(s.closers, pc)
		s.UDPAddrs = append(s.UDPAddrs, pc.LocalAddr())
		s.wg.Add(2)
		go s.acceptLoop(ln, name)
		go s.echoLoop(pc, name)
	}
	return s, nil
}

func (s *Server) acceptLoop(ln net.Listener, name string) {
	defer s.wg.Done()
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		go func() {
			defer conn.Close()
			_, _ = fmt.Fprintf(conn, "%s\n", name)
		}()
	}
}

func (s *Server) echoLoop(pc net.PacketConn, name string) {
	defer s.wg.Done()
	buf := make([]byte, 2048)
	for {
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		_, _ = pc.WriteTo([]byte(name+" "+string(buf[:n])), from)
	}
}

// Close stops every listener and waits for the loops to end.
func (s *Server) Close() {
	for _, c := range s.closers {
		_ = c.Close()
	}
	s.wg.Wait()
}
