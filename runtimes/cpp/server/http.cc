#include "http.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <thread>

namespace plinth {

namespace {

constexpr size_t MAX_HEAD_BYTES = 64 * 1024;

std::string lowerCase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string trimmed(const std::string& text) {
  size_t start = text.find_first_not_of(" \t");
  if (start == std::string::npos) return "";
  size_t end = text.find_last_not_of(" \t\r");
  return text.substr(start, end - start + 1);
}

/** Bytes read from a connection, buffered; what a request leaves over belongs to the next. */
class Connection {
 public:
  explicit Connection(int fd) : fd_(fd) {}

  /** Fills the buffer until it holds `needle`, returning its offset; nullopt on a closed connection or an oversized head. */
  std::optional<size_t> readUntil(const std::string& needle, size_t limit) {
    for (;;) {
      size_t found = buffer_.find(needle);
      if (found != std::string::npos) return found;
      if (buffer_.size() > limit || !fill()) return std::nullopt;
    }
  }

  /** Takes exactly `count` bytes; nullopt when the connection closes first. */
  std::optional<std::string> take(size_t count) {
    while (buffer_.size() < count) {
      if (!fill()) return std::nullopt;
    }
    std::string taken = buffer_.substr(0, count);
    buffer_.erase(0, count);
    return taken;
  }

  bool writeAll(const std::string& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  }

 private:
  int fd_;
  std::string buffer_;

  bool fill() {
    char chunk[16 * 1024];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }
};

std::optional<std::string> readChunkedBody(Connection& connection) {
  std::string body;
  for (;;) {
    auto lineEnd = connection.readUntil("\r\n", MAX_HEAD_BYTES);
    if (!lineEnd) return std::nullopt;
    std::string sizeLine = *connection.take(*lineEnd + 2);
    size_t size = std::strtoul(sizeLine.c_str(), nullptr, 16);
    if (size == 0) {
      // Trailers, if any, end with an empty line.
      for (;;) {
        auto end = connection.readUntil("\r\n", MAX_HEAD_BYTES);
        if (!end) return std::nullopt;
        bool last = *end == 0;
        connection.take(*end + 2);
        if (last) return body;
      }
    }
    auto data = connection.take(size + 2);
    if (!data) return std::nullopt;
    body.append(*data, 0, size);
  }
}

/** The next request on the connection; nullopt when it closed or sent something unreadable. */
std::optional<HttpRequest> readRequest(Connection& connection, bool& keepAlive) {
  auto headEnd = connection.readUntil("\r\n\r\n", MAX_HEAD_BYTES);
  if (!headEnd) return std::nullopt;
  std::string head = *connection.take(*headEnd + 4);
  HttpRequest request;
  size_t lineEnd = head.find("\r\n");
  std::string requestLine = head.substr(0, lineEnd);
  size_t firstSpace = requestLine.find(' ');
  size_t lastSpace = requestLine.rfind(' ');
  if (firstSpace == std::string::npos || lastSpace == firstSpace) return std::nullopt;
  request.method = requestLine.substr(0, firstSpace);
  request.target = requestLine.substr(firstSpace + 1, lastSpace - firstSpace - 1);
  std::string version = requestLine.substr(lastSpace + 1);
  size_t position = lineEnd + 2;
  while (position < head.size()) {
    size_t end = head.find("\r\n", position);
    if (end == std::string::npos || end == position) break;
    std::string line = head.substr(position, end - position);
    position = end + 2;
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    request.headers.emplace_back(lowerCase(trimmed(line.substr(0, colon))), trimmed(line.substr(colon + 1)));
  }
  std::string connectionHeader = lowerCase(request.header("connection"));
  keepAlive = version == "HTTP/1.1" ? connectionHeader != "close" : connectionHeader == "keep-alive";
  if (lowerCase(request.header("transfer-encoding")).find("chunked") != std::string::npos) {
    auto body = readChunkedBody(connection);
    if (!body) return std::nullopt;
    request.body = std::move(*body);
  } else {
    std::string length = request.header("content-length");
    if (!length.empty()) {
      auto body = connection.take(std::strtoull(length.c_str(), nullptr, 10));
      if (!body) return std::nullopt;
      request.body = std::move(*body);
    }
  }
  return request;
}

const char* reasonPhrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

/** A header a function set cannot start another header or end the head early. */
std::string withoutLineBreaks(std::string text) {
  for (char& c : text) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return text;
}

std::string serialize(const HttpResponse& response, bool keepAlive) {
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " + reasonPhrase(response.status) + "\r\n";
  for (const auto& [name, value] : response.headers) out += withoutLineBreaks(name) + ": " + withoutLineBreaks(value) + "\r\n";
  out += "content-length: " + std::to_string(response.body.size()) + "\r\n";
  out += keepAlive ? "connection: keep-alive\r\n\r\n" : "connection: close\r\n\r\n";
  out += response.body;
  return out;
}

void serveConnection(int fd, const HttpHandler& handler) {
  Connection connection(fd);
  bool keepAlive = true;
  while (keepAlive) {
    auto request = readRequest(connection, keepAlive);
    if (!request) break;
    if (!connection.writeAll(serialize(handler(*request), keepAlive))) break;
  }
  ::close(fd);
}

}  // namespace

std::string HttpRequest::header(const std::string& name) const {
  std::string joined;
  for (const auto& [key, value] : headers) {
    if (key != name) continue;
    if (!joined.empty()) joined += ", ";
    joined += value;
  }
  return joined;
}

int listenOn(const std::string& socketPath, int port) {
  int fd;
  if (!socketPath.empty()) {
    fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, socketPath.c_str(), sizeof address.sun_path - 1);
    ::unlink(socketPath.c_str());
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      std::perror("cannot listen");
      std::exit(1);
    }
  } else {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_ANY);
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      std::perror("cannot listen");
      std::exit(1);
    }
  }
  if (::listen(fd, 128) != 0) {
    std::perror("cannot listen");
    std::exit(1);
  }
  return fd;
}

void serveForever(int listener, const HttpHandler& handler) {
  for (;;) {
    int fd = ::accept(listener, nullptr, nullptr);
    if (fd < 0) continue;
    std::thread(serveConnection, fd, std::cref(handler)).detach();
  }
}

}  // namespace plinth
