package knowledge

import (
	"net/netip"
	"testing"
)

func TestFetchPolicy(t *testing.T) {
	var none FetchPolicy
	for addr, want := range map[string]bool{
		"93.184.216.34": true, "2a00:1450:4001:82a::200e": true,
		"127.0.0.1": false, "::1": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false,
		"169.254.169.254": false, "fe80::1": false, "fd00::1": false, "0.0.0.0": false, "100.64.1.1": false,
		"::ffff:127.0.0.1": false, "224.0.0.1": false,
	} {
		if got := none.allowed(netip.MustParseAddr(addr)); got != want {
			t.Errorf("%s: allowed %v, want %v", addr, got, want)
		}
	}
	p, err := ParseFetchAllow("10.1.0.0/16, 192.168.5.7")
	if err != nil {
		t.Fatal(err)
	}
	if !p.allowed(netip.MustParseAddr("10.1.9.9")) || !p.allowed(netip.MustParseAddr("192.168.5.7")) || p.allowed(netip.MustParseAddr("192.168.5.8")) {
		t.Error("allow list")
	}
	if _, err := ParseFetchAllow("intranet"); err == nil {
		t.Error("a word is no network")
	}
}
