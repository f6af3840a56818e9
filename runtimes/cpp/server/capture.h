// What the function prints to stdout and stderr during an execution, caught in memory files.
#pragma once

#include <string>

namespace plinth {

class OutputCapture {
 public:
  /** Points file descriptors 1 and 2 at fresh memory files. */
  OutputCapture();
  /** Restores the real descriptors and returns what was printed to each. */
  void finish(std::string& printed, std::string& complained);

 private:
  int savedOut_ = -1;
  int savedErr_ = -1;
  int out_ = -1;
  int err_ = -1;
};

}  // namespace plinth
