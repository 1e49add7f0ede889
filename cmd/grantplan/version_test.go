package main

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionText(t *testing.T) {
	tests := []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{
			name: "a release",
			info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "grantplan", Version: "v1.4.0"},
				Settings: []debug.BuildSetting{{Key: "GOOS", Value: "linux"}, {Key: "GOARCH", Value: "amd64"}}},
			want: "grantplan v1.4.0\ngo1.26.8 linux/amd64\n",
		},
		{
			name: "a checkout with changes",
			info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "grantplan", Version: "(devel)"},
				Settings: []debug.BuildSetting{
					{Key: "GOOS", Value: "linux"}, {Key: "GOARCH", Value: "arm64"},
					{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "7f1cea9c0ffee"},
					{Key: "vcs.time", Value: "2026-11-24T09:30:00Z"}, {Key: "vcs.modified", Value: "true"},
				}},
			want: "grantplan (devel)\nrevision 7f1cea9c0ffee of 2026-11-24T09:30:00Z, with uncommitted changes\ngo1.26.8 linux/arm64\n",
		},
		{
			name: "a clean checkout",
			info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "grantplan"},
				Settings: []debug.BuildSetting{{Key: "GOOS", Value: "linux"}, {Key: "GOARCH", Value: "amd64"},
					{Key: "vcs.revision", Value: "abc123"}, {Key: "vcs.modified", Value: "false"}}},
			want: "grantplan (devel)\nrevision abc123\ngo1.26.8 linux/amd64\n",
		},
		{
			name: "no build information",
			want: "grantplan (unknown version)\n" + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + "\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := versionText(tt.info); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestVersionCommand runs `grantplan version` in the test binary, which
// has build information: the first line names grantplan, the last the Go
// that built it.
func TestVersionCommand(t *testing.T) {
	code, out, errOut := runCLI(t, "", "version")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if !strings.HasPrefix(lines[0], "grantplan ") {
		t.Errorf("first line %q, want grantplan and its version", lines[0])
	}
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, runtime.Version()+" ") {
		t.Errorf("last line %q, want %s and the platform", last, runtime.Version())
	}
	if code, _, errOut := runCLI(t, "", "version", "extra"); code != exitInvalid || !strings.Contains(errOut, "no arguments") {
		t.Errorf("version extra: exit %d, stderr %q; want 2 and a message", code, errOut)
	}
}
