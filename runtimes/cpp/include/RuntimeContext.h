// Given to a C++ function for each execution: the request, the answers, and the execution's logs.
#pragma once

#include <json/json.h>

#include <mutex>
#include <string>
#include <vector>

#include "RuntimeRequest.h"
#include "RuntimeResponse.h"

namespace runtime {

class RuntimeContext {
 public:
  RuntimeRequest req;
  RuntimeResponse res;

  /** Strings as they are, anything else as compact JSON. */
  void log(const Json::Value& message) { add(logs_, message); }
  void error(const Json::Value& message) { add(errors_, message); }

  std::vector<std::string> logs() const { return taken(logs_); }
  std::vector<std::string> errors() const { return taken(errors_); }

 private:
  mutable std::mutex lock_;
  std::vector<std::string> logs_;
  std::vector<std::string> errors_;

  void add(std::vector<std::string>& into, const Json::Value& message) {
    std::string line = message.isString() ? message.asString() : writeCompactJson(message);
    std::lock_guard<std::mutex> guard(lock_);
    into.push_back(std::move(line));
  }

  std::vector<std::string> taken(const std::vector<std::string>& from) const {
    std::lock_guard<std::mutex> guard(lock_);
    return from;
  }
};

}  // namespace runtime
