// Package openruntimes is what a Go function sees of its request: Plinth's runtime server builds a
// Context for every execution and sends back the Response the function returns.
package openruntimes

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// BinaryTypes are the content types whose body Body() gives as bytes.
var BinaryTypes = []string{"application/octet-stream", "application/pdf", "application/zip", "image/", "audio/", "video/", "font/"}

// Request describes the execution's HTTP request.
type Request struct {
	Headers     map[string]string
	Method      string
	Scheme      string
	Host        string
	Port        int
	Path        string
	QueryString string
	Query       map[string]string
	Url         string
	bodyBinary  []byte
}

// NewRequest is used by the runtime server.
func NewRequest(body []byte) Request {
	return Request{bodyBinary: body}
}

func (r Request) BodyBinary() []byte { return r.bodyBinary }
func (r Request) BodyText() string   { return string(r.bodyBinary) }
func (r Request) BodyRaw() string    { return string(r.bodyBinary) }

// BodyJson decodes a JSON object body; an empty body is an empty object.
func (r Request) BodyJson() (map[string]any, error) {
	parsed := map[string]any{}
	if len(r.bodyBinary) == 0 {
		return parsed, nil
	}
	err := json.Unmarshal(r.bodyBinary, &parsed)
	return parsed, err
}

// Body is the body as its content type says: decoded JSON, bytes, or text.
func (r Request) Body() any {
	contentType := strings.ToLower(r.Headers["content-type"])
	if strings.HasPrefix(contentType, "application/json") {
		var parsed any
		if len(r.bodyBinary) == 0 {
			return map[string]any{}
		}
		if err := json.Unmarshal(r.bodyBinary, &parsed); err == nil {
			return parsed
		}
		return r.BodyText()
	}
	for _, binary := range BinaryTypes {
		if strings.HasPrefix(contentType, binary) {
			return r.bodyBinary
		}
	}
	return r.BodyText()
}

// Response is what a function returns: made by one of Context.Res's methods.
type Response struct {
	Body       []byte
	StatusCode int
	Headers    map[string]string
	// Made tells a returned answer from a zero value (a function that forgot to return one).
	Made bool
}

// ResponseOption sets the status code or headers of an answer.
type ResponseOption func(*Response)

// Responder makes the answers a function returns.
type Responder struct{}

func (Responder) WithStatusCode(code int) ResponseOption {
	return func(r *Response) { r.StatusCode = code }
}

func (Responder) WithHeaders(headers map[string]string) ResponseOption {
	return func(r *Response) {
		for name, value := range headers {
			r.Headers[strings.ToLower(name)] = value
		}
	}
}

func answer(body []byte, status int, contentType string, options []ResponseOption) Response {
	r := Response{Body: body, StatusCode: status, Headers: map[string]string{}, Made: true}
	if contentType != "" {
		r.Headers["content-type"] = contentType
	}
	for _, option := range options {
		option(&r)
	}
	return r
}

func (Responder) Text(body string, options ...ResponseOption) Response {
	return answer([]byte(body), 200, "text/plain", options)
}

func (res Responder) Send(body string, options ...ResponseOption) Response {
	return res.Text(body, options...)
}

func (Responder) Json(value any, options ...ResponseOption) Response {
	var encoded bytes.Buffer
	encoder := json.NewEncoder(&encoded)
	encoder.SetEscapeHTML(false)
	if err := encoder.Encode(value); err != nil {
		panic(fmt.Errorf("the answer is not JSON: %w", err))
	}
	return answer(bytes.TrimSuffix(encoded.Bytes(), []byte("\n")), 200, "application/json", options)
}

func (Responder) Binary(body []byte, options ...ResponseOption) Response {
	return answer(body, 200, "application/octet-stream", options)
}

func (Responder) Empty() Response {
	return answer(nil, 204, "", nil)
}

func (Responder) Redirect(url string, options ...ResponseOption) Response {
	r := answer(nil, 301, "", options)
	r.Headers["location"] = url
	return r
}

// Context is given to the function for each execution.
type Context struct {
	Req    Request
	Res    Responder
	Logger Logger
}

// Logger collects the execution's logs and errors.
type Logger interface {
	Log(message string)
	Error(message string)
}

func stringify(messages []any) string {
	parts := make([]string, len(messages))
	for i, message := range messages {
		switch value := message.(type) {
		case string:
			parts[i] = value
		case error:
			parts[i] = value.Error()
		case map[string]any, []any:
			encoded, err := json.Marshal(value)
			if err == nil {
				parts[i] = string(encoded)
			} else {
				parts[i] = fmt.Sprint(value)
			}
		default:
			parts[i] = fmt.Sprint(value)
		}
	}
	return strings.Join(parts, " ")
}

func (c Context) Log(messages ...any)   { c.Logger.Log(stringify(messages)) }
func (c Context) Error(messages ...any) { c.Logger.Error(stringify(messages)) }
