#include "capture.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace plinth {

namespace {

std::string drain(int fd) {
  std::string text;
  if (fd < 0) return text;
  ::lseek(fd, 0, SEEK_SET);
  char chunk[16 * 1024];
  ssize_t n;
  while ((n = ::read(fd, chunk, sizeof chunk)) > 0) text.append(chunk, static_cast<size_t>(n));
  ::close(fd);
  return text;
}

void flushAll() {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(stdout);
  std::fflush(stderr);
}

}  // namespace

OutputCapture::OutputCapture() {
  flushAll();
  out_ = ::memfd_create("plinth-stdout", 0);
  err_ = ::memfd_create("plinth-stderr", 0);
  if (out_ < 0 || err_ < 0) return;
  savedOut_ = ::dup(1);
  savedErr_ = ::dup(2);
  ::dup2(out_, 1);
  ::dup2(err_, 2);
}

void OutputCapture::finish(std::string& printed, std::string& complained) {
  flushAll();
  if (savedOut_ >= 0) {
    ::dup2(savedOut_, 1);
    ::dup2(savedErr_, 2);
    ::close(savedOut_);
    ::close(savedErr_);
  }
  printed = drain(out_);
  complained = drain(err_);
}

}  // namespace plinth
