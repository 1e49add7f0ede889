package api

import (
	_ "embed"

	"github.com/gin-gonic/gin"
)

// OpenAPI is the OpenAPI 3 description of the API: every route, the
// scenario, plan, what-if and problem schemas. It is written by hand, next
// to the handlers it describes, and the tests hold both to it.
//
//go:embed openapi.json
var OpenAPI []byte

// Document answers GET /api/v1/openapi.json.
func (a *Handlers) Document(c *gin.Context) {
	c.Data(200, "application/json", OpenAPI)
}
