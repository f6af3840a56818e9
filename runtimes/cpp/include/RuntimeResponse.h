// The answers a C++ function can give, as `context.res.json(value, 201, {{"X-Name", "value"}})`.
#pragma once

#include <json/json.h>

#include <cctype>
#include <cstdint>
#include <string>
#include <vector>

#include "RuntimeOutput.h"

namespace runtime {

/** JSON without spaces or escaped non-ASCII characters, as the other runtimes write it. */
inline std::string writeCompactJson(const Json::Value& value) {
  Json::StreamWriterBuilder builder;
  builder["indentation"] = "";
  builder["emitUTF8"] = true;
  return Json::writeString(builder, value);
}

class RuntimeResponse {
 public:
  RuntimeOutput text(const std::string& body, int statusCode = 200, const Headers& headers = {}) const {
    return answer(body, statusCode, "text/plain", headers);
  }

  RuntimeOutput send(const std::string& body, int statusCode = 200, const Headers& headers = {}) const {
    return text(body, statusCode, headers);
  }

  RuntimeOutput json(const Json::Value& value, int statusCode = 200, const Headers& headers = {}) const {
    return answer(writeCompactJson(value), statusCode, "application/json", headers);
  }

  RuntimeOutput binary(const std::vector<std::uint8_t>& bytes, int statusCode = 200, const Headers& headers = {}) const {
    return answer(std::string(bytes.begin(), bytes.end()), statusCode, "application/octet-stream", headers);
  }

  RuntimeOutput empty() const { return answer("", 204, "", {}); }

  RuntimeOutput redirect(const std::string& url, int statusCode = 301, const Headers& headers = {}) const {
    RuntimeOutput output = answer("", statusCode, "", headers);
    output.headers["location"] = url;
    return output;
  }

 private:
  static RuntimeOutput answer(std::string body, int statusCode, const std::string& contentType, const Headers& headers) {
    RuntimeOutput output;
    output.body = std::move(body);
    output.statusCode = statusCode;
    output.made = true;
    if (!contentType.empty()) output.headers["content-type"] = contentType;
    for (const auto& [name, value] : headers) {
      std::string lower = name;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      output.headers[lower] = value;
    }
    return output;
  }
};

}  // namespace runtime
