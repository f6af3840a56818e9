// A first function: answers /ping with text and anything else with a small JSON greeting.
// Context.Req holds the request; Context.Log and Context.Error go to the execution's logs.
package handler

import "github.com/open-runtimes/types-for-go/v4/openruntimes"

func Main(Context openruntimes.Context) openruntimes.Response {
	req := Context.Req
	if req.Path == "/ping" {
		return Context.Res.Text("Pong")
	}
	Context.Log("Called with " + req.Method + " " + req.Path)
	return Context.Res.Json(map[string]any{"greeting": "Hello from your starter function", "path": req.Path})
}
