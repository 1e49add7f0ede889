package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// version runs `grantplan version`: the module's version, the version
// control revision it was built from, and the Go that built it.
func (c *cli) version(args []string) error {
	fs := c.newFlagSet("version", "version")
	positional, err := parseArgs(fs, args)
	if err != nil {
		return usageError(err)
	}
	if len(positional) > 0 {
		fs.Usage()
		return c.invalid(fmt.Errorf("version takes no arguments, got %q", positional[0]))
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		info = nil
	}
	_, err = fmt.Fprint(c.stdout, versionText(info))
	return err
}

// versionText writes what a build knows about itself: "grantplan v1.2.0"
// (or "(devel)" for a build from a checkout), the revision with its time
// and whether the tree had uncommitted changes, and the Go version. A
// binary without build information (rare) still names its Go.
func versionText(info *debug.BuildInfo) string {
	var b strings.Builder
	if info == nil {
		fmt.Fprintf(&b, "grantplan (unknown version)\n%s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
		return b.String()
	}
	version := info.Main.Version
	if version == "" {
		version = "(devel)"
	}
	fmt.Fprintf(&b, "grantplan %s\n", version)
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	if revision := settings["vcs.revision"]; revision != "" {
		fmt.Fprintf(&b, "revision %s", revision)
		if at := settings["vcs.time"]; at != "" {
			fmt.Fprintf(&b, " of %s", at)
		}
		if settings["vcs.modified"] == "true" {
			b.WriteString(", with uncommitted changes")
		}
		b.WriteString("\n")
	}
	goos, goarch := settings["GOOS"], settings["GOARCH"]
	if goos == "" || goarch == "" {
		goos, goarch = runtime.GOOS, runtime.GOARCH
	}
	goVersion := info.GoVersion
	if goVersion == "" {
		goVersion = runtime.Version()
	}
	fmt.Fprintf(&b, "%s %s/%s\n", goVersion, goos, goarch)
	return b.String()
}
