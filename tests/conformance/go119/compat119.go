package main

import (
	cryptorand "crypto/rand"
	"errors"
	"encoding/hex"
	"strings"
)

// Copied into the conformance package by tests/conformance/build.sh: stand-ins for errors.Join,
// strings.CutPrefix, min, rand.Text and two-%w fmt.Errorf, which Go 1.19 (Debian 12) lacks.
type joinError struct{ errs []error }

func (e *joinError) Error() string {
	var s []string
	for _, x := range e.errs {
		s = append(s, x.Error())
	}
	return strings.Join(s, "\n")
}
func (e *joinError) Unwrap() []error { return e.errs }
func errorsJoin(errs ...error) error {
	var nz []error
	for _, e := range errs {
		if e != nil {
			nz = append(nz, e)
		}
	}
	if len(nz) == 0 {
		return nil
	}
	return &joinError{nz}
}
func cutPrefix(s, p string) (string, bool) {
	if strings.HasPrefix(s, p) {
		return s[len(p):], true
	}
	return s, false
}
func min(a, b int) int {
	if a < b {
		return a
	}
	return b
}

func randText() string {
	b := make([]byte, 16)
	if _, err := cryptorand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// Is lets errors.Is see every joined error (Go 1.19 does not follow Unwrap() []error).
func (e *joinError) Is(target error) bool {
	for _, x := range e.errs {
		if errors.Is(x, target) {
			return true
		}
	}
	return false
}

// wrap2 stands in for fmt.Errorf("%.0w%w", marker, err): err's message, wrapping both.
type wrapTwo struct{ marker, err error }

func (w *wrapTwo) Error() string { return w.err.Error() }
func (w *wrapTwo) Is(target error) bool {
	return errors.Is(w.marker, target) || errors.Is(w.err, target)
}
func (w *wrapTwo) As(target any) bool { return errors.As(w.err, target) }
func wrap2(marker, err error) error  { return &wrapTwo{marker, err} }
