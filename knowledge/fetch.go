package knowledge

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"syscall"
	"time"
)

// ErrInternalAddress means a URL (or a redirect from it) leads to an
// address inside the own network: loopback, link-local, private or
// otherwise not public. Fetching it would let whoever may add documents
// read internal services through Wegwijs.
var ErrInternalAddress = errors.New("address inside the own network")

// FetchPolicy says which non-public addresses may be fetched anyway, for
// an intranet. The zero policy allows public addresses only.
type FetchPolicy struct {
	Allow []netip.Prefix
}

// ParseFetchAllow reads a list like "10.1.0.0/16, 192.168.5.7" (a single
// address is a /32 or /128).
func ParseFetchAllow(s string) (FetchPolicy, error) {
	var p FetchPolicy
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return p, fmt.Errorf("%q is no address or network", f)
			}
			p.Allow = append(p.Allow, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		pr, err := netip.ParsePrefix(f)
		if err != nil {
			return p, fmt.Errorf("%q is no address or network", f)
		}
		p.Allow = append(p.Allow, pr.Masked())
	}
	return p, nil
}

// allowed reports whether a may be connected to.
func (p FetchPolicy) allowed(a netip.Addr) bool {
	a = a.Unmap()
	for _, pr := range p.Allow {
		if pr.Contains(a) {
			return true
		}
	}
	return public(a)
}

// public reports whether a is an address on the public internet: not
// loopback, link-local, private (RFC 1918, unique local), shared (CGNAT),
// unspecified, multicast or reserved.
func public(a netip.Addr) bool {
	if !a.IsValid() || a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() || a.IsPrivate() ||
		a.IsUnspecified() || a.IsMulticast() || a.IsInterfaceLocalMulticast() {
		return false
	}
	for _, pr := range nonPublic {
		if pr.Contains(a) {
			return false
		}
	}
	return true
}

var nonPublic = func() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range []string{"0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15",
		"198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4", "255.255.255.255/32", "64:ff9b::/96", "2001:db8::/32"} {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}()

// SafeHTTPClient is the client for fetching documents by URL: it checks
// every address it connects to (so after every redirect, and whatever DNS
// answers) against the policy, follows at most 5 redirects, to http(s)
// only, and gives up after timeout. Through a proxy from the environment
// (HTTPS_PROXY), which connects on its behalf, it checks what the host
// name resolves to before each request instead.
func SafeHTTPClient(timeout time.Duration, p FetchPolicy) *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second, Control: func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil || !p.allowed(ap.Addr()) {
			return fmt.Errorf("%w: %s", ErrInternalAddress, address)
		}
		return nil
	}}
	direct := http.DefaultTransport.(*http.Transport).Clone()
	direct.Proxy = nil
	direct.DialContext = dialer.DialContext
	proxied := http.DefaultTransport.(*http.Transport).Clone()
	proxied.Proxy = http.ProxyFromEnvironment
	return &http.Client{Timeout: timeout, Transport: safeTransport{direct: direct, proxied: proxied, policy: p},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("too many redirects")
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirect to %s: not http(s)", req.URL.Scheme)
			}
			return nil
		}}
}

// safeTransport sends a request directly, checked at connect time, or
// through the environment's proxy, checked by resolving the host first.
type safeTransport struct {
	direct, proxied *http.Transport
	policy          FetchPolicy
}

func (t safeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	proxy, err := http.ProxyFromEnvironment(req)
	if err != nil || proxy == nil {
		return t.direct.RoundTrip(req)
	}
	addrs, err := resolve(req.Context(), req.URL.Hostname())
	if err != nil {
		return nil, err
	}
	for _, a := range addrs {
		if !t.policy.allowed(a) {
			return nil, fmt.Errorf("%w: %s", ErrInternalAddress, a)
		}
	}
	return t.proxied.RoundTrip(req)
}

func resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a}, nil
	}
	return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
}
