// Package slog: a Go 1.19 stand-in (tests/conformance/build.sh), printing "LEVEL msg k=v ..." lines.
package slog

import (
	"fmt"
	"io"
	"strings"
)

type Level int

const (
	LevelDebug Level = -4
	LevelInfo  Level = 0
	LevelWarn  Level = 4
	LevelError Level = 8
)

type HandlerOptions struct{ Level Level }
type Handler struct {
	w   io.Writer
	min Level
}

func NewTextHandler(w io.Writer, o *HandlerOptions) *Handler {
	h := &Handler{w: w}
	if o != nil {
		h.min = o.Level
	}
	return h
}

type Logger struct{ h *Handler }

func New(h *Handler) *Logger { return &Logger{h: h} }
func (l *Logger) log(lv Level, name, msg string, args ...any) {
	if lv < l.h.min {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "level=%s msg=%q", name, msg)
	for i := 0; i+1 < len(args); i += 2 {
		fmt.Fprintf(&b, " %v=%v", args[i], args[i+1])
	}
	fmt.Fprintln(l.h.w, b.String())
}
func (l *Logger) Debug(msg string, args ...any) { l.log(LevelDebug, "DEBUG", msg, args...) }
func (l *Logger) Info(msg string, args ...any)  { l.log(LevelInfo, "INFO", msg, args...) }
func (l *Logger) Warn(msg string, args ...any)  { l.log(LevelWarn, "WARN", msg, args...) }
func (l *Logger) Error(msg string, args ...any) { l.log(LevelError, "ERROR", msg, args...) }

func (l *Level) UnmarshalText(b []byte) error {
	switch strings.ToUpper(string(b)) {
	case "DEBUG":
		*l = LevelDebug
	case "INFO":
		*l = LevelInfo
	case "WARN":
		*l = LevelWarn
	case "ERROR":
		*l = LevelError
	default:
		return fmt.Errorf("unknown level %q", b)
	}
	return nil
}
