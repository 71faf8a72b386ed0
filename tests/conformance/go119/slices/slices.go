// Package slices: a Go 1.19 stand-in for the few functions the conformance suite uses (tests/conformance/build.sh).
package slices

import "sort"

type Ordered interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~float32 | ~float64 | ~string
}

func Contains[E comparable](s []E, v E) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
func ContainsFunc[E any](s []E, f func(E) bool) bool {
	for _, x := range s {
		if f(x) {
			return true
		}
	}
	return false
}
func Clone[E any](s []E) []E {
	if s == nil {
		return nil
	}
	return append([]E{}, s...)
}
func Reverse[E any](s []E) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}
func Sort[E Ordered](s []E) { sort.Slice(s, func(i, j int) bool { return s[i] < s[j] }) }
func Sorted[E Ordered](s []E) []E { c := Clone(s); Sort(c); return c }
