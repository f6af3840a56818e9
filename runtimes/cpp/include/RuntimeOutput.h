// What a C++ function returns: made by one of RuntimeResponse's methods.
#pragma once

#include <map>
#include <string>

namespace runtime {

using Headers = std::map<std::string, std::string>;

struct RuntimeOutput {
  /** The answer's bytes. */
  std::string body;
  int statusCode = 0;
  Headers headers;
  /** False for a default-constructed answer (`return {};`): the server treats it as a missing return. */
  bool made = false;
};

}  // namespace runtime
