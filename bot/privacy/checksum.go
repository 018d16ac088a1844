package privacy

// elfproefSum returns the weighted sum 9·d1+8·d2+…+2·d8−1·d9 modulo 11
// (always 0..10) for a string of exactly nine ASCII digits, or -1.
func elfproefSum(digits string) int {
	if len(digits) != 9 {
		return -1
	}
	sum := 0
	for i := 0; i < 9; i++ {
		c := digits[i]
		if c < '0' || c > '9' {
			return -1
		}
		w := 9 - i
		if i == 8 {
			w = -1
		}
		sum += w * int(c-'0')
	}
	return ((sum % 11) + 11) % 11
}

// ValidBSN reports whether s is a burgerservicenummer: nine digits (eight
// digits get a leading zero), not all zero, passing the 11-proef. Spaces,
// dots and hyphens are ignored.
func ValidBSN(s string) bool {
	d := onlyDigits(s, " .-")
	if len(d) == 8 {
		d = "0" + d
	}
	if d == "" || d == "000000000" {
		return false
	}
	return elfproefSum(d) == 0
}

// ValidOnderwijsnummer reports whether s is an onderwijsnummer: nine digits
// starting with 10 whose 11-proef sum is 5 modulo 11. Spaces, dots and
// hyphens are ignored.
func ValidOnderwijsnummer(s string) bool {
	d := onlyDigits(s, " .-")
	return len(d) == 9 && d[0] == '1' && d[1] == '0' && elfproefSum(d) == 5
}

// ValidIBAN reports whether s is an IBAN with correct ISO 13616 mod-97
// check digits. Spaces are ignored and letters may be lowercase.
func ValidIBAN(s string) bool {
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			continue
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		case (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'):
		default:
			return false
		}
		b = append(b, c)
	}
	if len(b) < 15 || len(b) > 34 {
		return false
	}
	if b[0] < 'A' || b[0] > 'Z' || b[1] < 'A' || b[1] > 'Z' || b[2] > '9' || b[3] > '9' || b[2] < '0' || b[3] < '0' {
		return false
	}
	rem := 0
	for _, c := range append(b[4:len(b):len(b)], b[:4]...) {
		if c >= 'A' {
			v := int(c-'A') + 10
			rem = (rem*100 + v) % 97
		} else {
			rem = (rem*10 + int(c-'0')) % 97
		}
	}
	return rem == 1
}

// onlyDigits returns the digits of s, or "" when s holds a byte that is
// neither a digit nor one of the allowed separators.
func onlyDigits(s, seps string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			b = append(b, c)
		case indexByte(seps, c) >= 0:
		default:
			return ""
		}
	}
	return string(b)
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}
