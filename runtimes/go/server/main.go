// Plinth's Go runtime: an HTTP server speaking the Open Runtimes contract, compiled at build with
// the function (its package is imported as `handler` and its `Main` called for every request).
// Executions run one at a time, so printed output belongs to the one running.
//
// Environment: OPEN_RUNTIMES_SECRET, PLINTH_RUNTIME_SOCKET (a Unix socket path to listen on) or
// PORT (default 3000), PLINTH_RUNTIME_LOGS (directory where `<log id>_logs.log` and
// `<log id>_errors.log` are written when logging is on).
package main

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/open-runtimes/types-for-go/v4/openruntimes"
	handler "plinth.run/function"
)

const inlineLogsMax = 8192 // logs up to this size (JSON, bytes) are answered in the x-open-runtimes-logs header
const missingReturn = "Return statement missing. return Context.Res.Empty() if no response is expected."

var (
	secret        = os.Getenv("OPEN_RUNTIMES_SECRET")
	logsDir       = os.Getenv("PLINTH_RUNTIME_LOGS")
	logIDPattern  = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	portPattern   = regexp.MustCompile(`:(\d+)$`)
	forcedHeaders = map[string]string{}
	realStdout    = os.Stdout
	realStderr    = os.Stderr
	oneAtATime    sync.Mutex
)

type logs struct {
	mu     sync.Mutex
	logs   []string
	errors []string
}

func (l *logs) Log(message string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.logs = append(l.logs, message)
}

func (l *logs) Error(message string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.errors = append(l.errors, message)
}

// capture points os.Stdout (or os.Stderr) at a pipe whose lines become logs; done restores it and waits for the last line.
func capture(target **os.File, original *os.File, add func(string)) (done func()) {
	reader, writer, err := os.Pipe()
	if err != nil {
		return func() {}
	}
	*target = writer
	finished := make(chan struct{})
	go func() {
		scanner := bufio.NewScanner(reader)
		scanner.Buffer(make([]byte, 64*1024), 1024*1024)
		for scanner.Scan() {
			if strings.TrimSpace(scanner.Text()) != "" {
				add(scanner.Text())
			}
		}
		io.Copy(io.Discard, reader)
		reader.Close()
		close(finished)
	}()
	return func() {
		*target = original
		writer.Close()
		<-finished
	}
}

func request(r *http.Request, body []byte) openruntimes.Request {
	req := openruntimes.NewRequest(body)
	req.Headers = map[string]string{}
	for name, values := range r.Header {
		name = strings.ToLower(name)
		if !strings.HasPrefix(name, "x-open-runtimes-") {
			req.Headers[name] = strings.Join(values, ", ")
		}
	}
	req.Headers["host"] = r.Host
	req.Method = r.Method
	req.Scheme = strings.TrimSpace(strings.Split(firstOf(req.Headers["x-forwarded-proto"], "http"), ",")[0])
	defaultPort := 80
	if req.Scheme == "https" {
		defaultPort = 443
	}
	host := firstOf(r.Host, "localhost")
	req.Host, req.Port = host, defaultPort
	if match := portPattern.FindStringSubmatchIndex(host); match != nil {
		req.Host = host[:match[0]]
		req.Port, _ = strconv.Atoi(host[match[2]:match[3]])
	}
	req.Path = firstOf(r.URL.Path, "/")
	req.QueryString = r.URL.RawQuery
	req.Query = map[string]string{}
	if values, err := url.ParseQuery(req.QueryString); err == nil {
		for name, list := range values {
			req.Query[name] = list[len(list)-1]
		}
	}
	suffix := ""
	if req.Port != defaultPort {
		suffix = ":" + strconv.Itoa(req.Port)
	}
	req.Url = req.Scheme + "://" + req.Host + suffix + req.Path
	if req.QueryString != "" {
		req.Url += "?" + req.QueryString
	}
	return req
}

func firstOf(value, fallback string) string {
	if value == "" {
		return fallback
	}
	return value
}

func failure(status int) openruntimes.Response {
	return openruntimes.Response{StatusCode: status, Headers: map[string]string{}, Made: true}
}

// execute runs the function, turning a panic, a missing answer or the timeout into a 500.
func execute(req openruntimes.Request, output *logs, timeout time.Duration) openruntimes.Response {
	oneAtATime.Lock()
	defer oneAtATime.Unlock()
	stopOut := capture(&os.Stdout, realStdout, output.Log)
	stopErr := capture(&os.Stderr, realStderr, output.Error)
	finished := make(chan openruntimes.Response, 1)
	go func() {
		defer func() {
			if thrown := recover(); thrown != nil {
				output.Error(fmt.Sprintf("%v\n%s", thrown, debug.Stack()))
				finished <- failure(500)
			}
		}()
		finished <- handler.Main(openruntimes.Context{Req: req, Logger: output})
	}()
	var expired <-chan time.Time
	if timeout > 0 {
		timer := time.NewTimer(timeout)
		defer timer.Stop()
		expired = timer.C
	}
	var result openruntimes.Response
	select {
	case result = <-finished:
	case <-expired:
		stopOut()
		stopErr()
		output.Error("Execution timed out.")
		return failure(500)
	}
	stopOut()
	stopErr()
	if !result.Made {
		output.Error(missingReturn)
		return failure(500)
	}
	return result
}

func serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if secret == "" || r.Header.Get("x-open-runtimes-secret") != secret {
		w.Header().Set("content-type", "text/plain")
		w.WriteHeader(500)
		w.Write([]byte(`Unauthorized. Provide correct "x-open-runtimes-secret" header.`))
		return
	}
	seconds, _ := strconv.ParseFloat(r.Header.Get("x-open-runtimes-timeout"), 64)
	output := &logs{}
	result := execute(request(r, body), output, time.Duration(seconds*float64(time.Second)))
	headers := w.Header()
	// Go would guess a content type: an answer without one stays without one.
	headers["Content-Type"] = nil
	for _, set := range []map[string]string{result.Headers, forcedHeaders} {
		for name, value := range set {
			name = strings.ToLower(name)
			if !strings.HasPrefix(name, "x-open-runtimes-") && name != "content-length" {
				headers[name] = []string{value}
			}
		}
	}
	logID := r.Header.Get("x-open-runtimes-log-id")
	if logID != "" {
		headers["x-open-runtimes-log-id"] = []string{logID}
	}
	if r.Header.Get("x-open-runtimes-logging") != "disabled" {
		output.mu.Lock()
		inline, _ := json.Marshal([]string{strings.Join(output.logs, "\n"), strings.Join(output.errors, "\n")})
		output.mu.Unlock()
		if len(inline) <= inlineLogsMax {
			headers["x-open-runtimes-logs"] = []string{base64.StdEncoding.EncodeToString(inline)}
		} else {
			writeLogs(logID, output)
		}
	}
	headers["Content-Length"] = []string{strconv.Itoa(len(result.Body))}
	w.WriteHeader(result.StatusCode)
	w.Write(result.Body)
}

func writeLogs(logID string, output *logs) {
	if logsDir == "" || !logIDPattern.MatchString(logID) {
		return
	}
	os.MkdirAll(logsDir, 0o777)
	os.WriteFile(filepath.Join(logsDir, logID+"_logs.log"), []byte(strings.Join(output.logs, "\n")), 0o666)
	os.WriteFile(filepath.Join(logsDir, logID+"_errors.log"), []byte(strings.Join(output.errors, "\n")), 0o666)
}

func main() {
	var forced map[string]any
	if json.Unmarshal([]byte(os.Getenv("OPEN_RUNTIMES_HEADERS")), &forced) == nil {
		for name, value := range forced {
			forcedHeaders[strings.ToLower(name)] = fmt.Sprint(value)
		}
	}
	var listener net.Listener
	var err error
	if socket := os.Getenv("PLINTH_RUNTIME_SOCKET"); socket != "" {
		os.Remove(socket)
		listener, err = net.Listen("unix", socket)
	} else {
		listener, err = net.Listen("tcp", ":"+firstOf(os.Getenv("PORT"), "3000"))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cannot listen:", err)
		os.Exit(1)
	}
	// The server holds our stdin open; when it goes away (even killed), so do we.
	go func() {
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	fmt.Fprintln(realStdout, "open-runtimes ready")
	http.Serve(listener, http.HandlerFunc(serve))
}
