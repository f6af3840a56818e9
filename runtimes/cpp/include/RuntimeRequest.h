// What a C++ function sees of its request. Headers and query are JSON objects of strings.
#pragma once

#include <json/json.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace runtime {

class RuntimeRequest {
 public:
  std::string method;
  std::string scheme;
  std::string host;
  int port = 80;
  std::string path;
  std::string queryString;
  std::string url;
  /** Lower-case names; the runtime's own `x-open-runtimes-*` headers are left out. */
  Json::Value headers{Json::objectValue};
  Json::Value query{Json::objectValue};

  /** The body's bytes as they came. */
  std::string bodyRaw;

  std::string bodyText() const { return bodyRaw; }

  std::vector<std::uint8_t> bodyBinary() const { return {bodyRaw.begin(), bodyRaw.end()}; }

  /** The body parsed as JSON; an empty body is an empty object. Throws std::invalid_argument on anything else. */
  Json::Value bodyJson() const {
    if (bodyRaw.empty()) return Json::Value(Json::objectValue);
    Json::CharReaderBuilder builder;
    std::unique_ptr<Json::CharReader> reader(builder.newCharReader());
    Json::Value parsed;
    std::string problems;
    if (!reader->parse(bodyRaw.data(), bodyRaw.data() + bodyRaw.size(), &parsed, &problems)) {
      throw std::invalid_argument("The body is not JSON: " + problems);
    }
    return parsed;
  }

  /** Parsed JSON when the content type says JSON, else the text. */
  Json::Value body() const {
    if (headers.get("content-type", "").asString().rfind("application/json", 0) == 0) return bodyJson();
    return Json::Value(bodyRaw);
  }
};

}  // namespace runtime
