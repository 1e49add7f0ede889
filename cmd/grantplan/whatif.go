package main

import "errors"

// whatif runs `grantplan whatif FILE|- --variant NAME=PATCHFILE … [--json]`.
func (c *cli) whatif(args []string) error {
	return c.invalid(errors.New("whatif is not available in this version yet"))
}
