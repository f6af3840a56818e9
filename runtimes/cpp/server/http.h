// A small HTTP/1.1 server over POSIX sockets: enough for the requests Plinth's runtime pool sends
// (Content-Length or chunked bodies, keep-alive), one thread per connection.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace plinth {

struct HttpRequest {
  std::string method;
  /** The request target: path and query string. */
  std::string target;
  /** Lower-case names, in the order received. */
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  /** The values of every header of that (lower-case) name, joined by ", "; empty when absent. */
  std::string header(const std::string& name) const;
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

/** Listens on a Unix socket path when one is given, else on the TCP port; exits the process if it cannot. */
int listenOn(const std::string& socketPath, int port);

/** Accepts connections forever, answering each request with the handler. */
void serveForever(int listener, const HttpHandler& handler);

}  // namespace plinth
