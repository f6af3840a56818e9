// Plinth's C++ runtime: an HTTP server speaking the Open Runtimes contract, compiled at build with
// the function, whose file is included here (PLINTH_FUNCTION) and whose runtime::Handler::main is
// called for every request. Executions run one at a time, so printed output belongs to the one running.
//
// Environment: OPEN_RUNTIMES_SECRET, PLINTH_RUNTIME_SOCKET (a Unix socket path to listen on) or PORT
// (default 3000), PLINTH_RUNTIME_LOGS (directory where `<log id>_logs.log` and `<log id>_errors.log`
// are written when logging is on), OPEN_RUNTIMES_HEADERS (a JSON object of headers every answer gets).
#include <csignal>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iostream>
#include <map>
#include <future>
#include <memory>
#include <mutex>
#include <sys/stat.h>
#include <string>
#include <thread>
#include <vector>

#include "../include/RuntimeContext.h"
#include "../include/RuntimeOutput.h"
#include "../include/RuntimeRequest.h"
#include "../include/RuntimeResponse.h"
#include "capture.h"
#include "http.h"

// The function: its file defines runtime::Handler with `static RuntimeOutput main(RuntimeContext&)`.
#include PLINTH_FUNCTION

namespace {

constexpr size_t INLINE_LOGS_MAX = 8192;
const char* const MISSING_RETURN = "Return statement missing. return context.res.empty() if no response is expected.";

std::string environment(const char* name, const std::string& fallback = "") {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

const std::string SECRET = environment("OPEN_RUNTIMES_SECRET");
const std::string LOGS_DIR = environment("PLINTH_RUNTIME_LOGS");
std::mutex oneAtATime;

std::string base64(const std::string& bytes) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) | static_cast<unsigned char>(bytes[i + 2]);
    out += {alphabet[n >> 18], alphabet[(n >> 12) & 63], alphabet[(n >> 6) & 63], alphabet[n & 63]};
  }
  if (i + 1 == bytes.size()) {
    unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
    out += {alphabet[n >> 18], alphabet[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == bytes.size()) {
    unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += {alphabet[n >> 18], alphabet[(n >> 12) & 63], alphabet[(n >> 6) & 63], '='};
  }
  return out;
}

std::string percentDecoded(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); i++) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) && std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

runtime::RuntimeRequest describe(const plinth::HttpRequest& http) {
  runtime::RuntimeRequest req;
  for (const auto& [name, value] : http.headers) {
    if (name.rfind("x-open-runtimes-", 0) != 0) req.headers[name] = http.header(name);
  }
  req.method = http.method;
  std::string forwarded = http.header("x-forwarded-proto");
  req.scheme = forwarded.empty() ? "http" : forwarded.substr(0, forwarded.find(','));
  req.scheme.erase(0, req.scheme.find_first_not_of(' '));
  req.scheme.erase(req.scheme.find_last_not_of(' ') + 1);
  int defaultPort = req.scheme == "https" ? 443 : 80;
  std::string host = http.header("host");
  if (host.empty()) host = "localhost";
  req.port = defaultPort;
  req.host = host;
  size_t colon = host.rfind(':');
  std::string digits = colon == std::string::npos ? "" : host.substr(colon + 1);
  if (!digits.empty() && digits.size() <= 5 && digits.find_first_not_of("0123456789") == std::string::npos) {
    req.host = host.substr(0, colon);
    req.port = std::stoi(digits);
  }
  size_t question = http.target.find('?');
  req.path = http.target.substr(0, question);
  if (req.path.empty()) req.path = "/";
  req.queryString = question == std::string::npos ? "" : http.target.substr(question + 1);
  size_t start = 0;
  while (start < req.queryString.size()) {
    size_t end = req.queryString.find('&', start);
    if (end == std::string::npos) end = req.queryString.size();
    std::string pair = req.queryString.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    size_t equals = pair.find('=');
    req.query[percentDecoded(pair.substr(0, equals))] = equals == std::string::npos ? "" : percentDecoded(pair.substr(equals + 1));
  }
  req.url = req.scheme + "://" + req.host + (req.port == defaultPort ? "" : ":" + std::to_string(req.port)) + req.path + (req.queryString.empty() ? "" : "?" + req.queryString);
  req.bodyRaw = http.body;
  return req;
}

runtime::RuntimeOutput failure() {
  runtime::RuntimeOutput output;
  output.statusCode = 500;
  output.made = true;
  return output;
}

/** Non-blank printed lines, as logs. */
void addPrinted(std::vector<std::string>& into, const std::string& printed) {
  size_t start = 0;
  while (start < printed.size()) {
    size_t end = printed.find('\n', start);
    if (end == std::string::npos) end = printed.size();
    std::string line = printed.substr(start, end - start);
    if (line.find_first_not_of(" \t\r") != std::string::npos) into.push_back(line);
    start = end + 1;
  }
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (size_t i = 0; i < lines.size(); i++) out += (i ? "\n" : "") + lines[i];
  return out;
}

struct Execution {
  runtime::RuntimeOutput output;
  std::vector<std::string> logs;
  std::vector<std::string> errors;
};

/** Runs the function in a thread of its own, so an execution past its timeout can be answered (the pool then replaces this process). */
Execution execute(runtime::RuntimeRequest req, double timeoutSeconds) {
  std::lock_guard<std::mutex> guard(oneAtATime);
  auto context = std::make_shared<runtime::RuntimeContext>();
  context->req = std::move(req);
  auto promise = std::make_shared<std::promise<runtime::RuntimeOutput>>();
  auto future = promise->get_future();
  plinth::OutputCapture capture;
  std::thread([context, promise] {
    try {
      promise->set_value(runtime::Handler::main(*context));
    } catch (const std::exception& thrown) {
      context->error(std::string(thrown.what()));
      promise->set_value(failure());
    } catch (...) {
      context->error("The function threw something that is not a std::exception.");
      promise->set_value(failure());
    }
  }).detach();
  bool timedOut = false;
  if (timeoutSeconds > 0) timedOut = future.wait_for(std::chrono::duration<double>(timeoutSeconds)) == std::future_status::timeout;
  else future.wait();
  std::string printed, complained;
  capture.finish(printed, complained);
  Execution execution;
  execution.output = timedOut ? failure() : future.get();
  execution.logs = context->logs();
  addPrinted(execution.logs, printed);
  execution.errors = context->errors();
  addPrinted(execution.errors, complained);
  if (timedOut) {
    execution.errors.push_back("Execution timed out.");
  } else if (!execution.output.made) {
    execution.errors.push_back(MISSING_RETURN);
    execution.output = failure();
  }
  return execution;
}

void writeLogs(const std::string& logId, const Execution& execution) {
  bool safeId = !logId.empty() && logId.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == std::string::npos;
  if (LOGS_DIR.empty() || !safeId) return;
  ::mkdir(LOGS_DIR.c_str(), 0777);
  std::ofstream(LOGS_DIR + "/" + logId + "_logs.log", std::ios::binary) << joined(execution.logs);
  std::ofstream(LOGS_DIR + "/" + logId + "_errors.log", std::ios::binary) << joined(execution.errors);
}

runtime::Headers forcedHeaders() {
  runtime::Headers forced;
  Json::Value parsed;
  std::string raw = environment("OPEN_RUNTIMES_HEADERS");
  Json::CharReaderBuilder builder;
  std::unique_ptr<Json::CharReader> reader(builder.newCharReader());
  if (raw.empty() || !reader->parse(raw.data(), raw.data() + raw.size(), &parsed, nullptr) || !parsed.isObject()) return forced;
  for (const auto& name : parsed.getMemberNames()) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    forced[lower] = parsed[name].isString() ? parsed[name].asString() : runtime::writeCompactJson(parsed[name]);
  }
  return forced;
}

plinth::HttpResponse serve(const plinth::HttpRequest& http) {
  static const runtime::Headers forced = forcedHeaders();
  plinth::HttpResponse response;
  if (SECRET.empty() || http.header("x-open-runtimes-secret") != SECRET) {
    response.status = 500;
    response.headers.emplace_back("content-type", "text/plain");
    response.body = "Unauthorized. Provide correct \"x-open-runtimes-secret\" header.";
    return response;
  }
  double timeout = std::strtod(http.header("x-open-runtimes-timeout").c_str(), nullptr);
  Execution execution = execute(describe(http), timeout);
  runtime::Headers headers = execution.output.headers;
  for (const auto& [name, value] : forced) headers[name] = value;
  for (const auto& [name, value] : headers) {
    if (name.rfind("x-open-runtimes-", 0) != 0 && name != "content-length" && name != "connection" && name != "transfer-encoding") response.headers.emplace_back(name, value);
  }
  std::string logId = http.header("x-open-runtimes-log-id");
  if (!logId.empty()) response.headers.emplace_back("x-open-runtimes-log-id", logId);
  if (http.header("x-open-runtimes-logging") != "disabled") {
    Json::Value inline_(Json::arrayValue);
    inline_.append(joined(execution.logs));
    inline_.append(joined(execution.errors));
    std::string encoded = runtime::writeCompactJson(inline_);
    if (encoded.size() <= INLINE_LOGS_MAX) response.headers.emplace_back("x-open-runtimes-logs", base64(encoded));
    else writeLogs(logId, execution);
  }
  response.status = execution.output.statusCode;
  response.body = std::move(execution.output.body);
  return response;
}

}  // namespace

int main() {
  // A peer that hangs up is an error where it happens (a failed write), not the end of the process.
  std::signal(SIGPIPE, SIG_IGN);
  int listener = plinth::listenOn(environment("PLINTH_RUNTIME_SOCKET"), std::atoi(environment("PORT", "3000").c_str()));
  // The server holds our stdin open; when it goes away (even killed), so do we.
  std::thread([] {
    char ignored[256];
    while (::read(0, ignored, sizeof ignored) > 0) {
    }
    std::_Exit(0);
  }).detach();
  std::fputs("open-runtimes ready\n", stdout);
  std::fflush(stdout);
  plinth::serveForever(listener, serve);
}
