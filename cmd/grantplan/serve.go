package main

import "errors"

// serve runs `grantplan serve [--addr 127.0.0.1:8080] [--db PATH]`.
func (c *cli) serve(args []string) error {
	return c.invalid(errors.New("serve is not available in this version yet"))
}
