// Checked writes to standard output with POSIX calls: the bytes go out with write(2), so a
// failure is known at once with its errno, rather than left in stdio's buffer until exit.
#include "standard_output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "options.h"

namespace partnerpolicy::cli {
namespace {

int first_error = 0;  // errno of the first failed write to standard output; 0 = none

}  // namespace

bool WriteStandardOutput(std::string_view text) {
  if (std::fflush(stdout) != 0) {
    if (first_error == 0) first_error = errno;
    return false;
  }
  const off_t start = lseek(STDOUT_FILENO, 0, SEEK_CUR);  // -1 on a pipe or terminal
  std::string_view left = text;
  while (!left.empty()) {
    ssize_t n = write(STDOUT_FILENO, left.data(), left.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (first_error == 0) first_error = n < 0 ? errno : EIO;
      // A partly written report in a file is worse than none: cut it off where it began. (A
      // pipe's reader has what it has; an appending file may hold others' lines after ours.)
      struct stat info {};
      int flags = fcntl(STDOUT_FILENO, F_GETFL);
      if (start >= 0 && fstat(STDOUT_FILENO, &info) == 0 && S_ISREG(info.st_mode) && flags >= 0 &&
          (flags & O_APPEND) == 0 && ftruncate(STDOUT_FILENO, start) == 0) {
        lseek(STDOUT_FILENO, start, SEEK_SET);
      }
      return false;
    }
    left.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

int FinishStandardOutput(int exit_code) {
  errno = 0;
  std::cout.flush();
  if ((std::fflush(stdout) != 0 || std::ferror(stdout) || !std::cout) && first_error == 0) {
    first_error = errno != 0 ? errno : EIO;  // EIO: an earlier stdio write failed, errno lost
  }
  if (first_error == 0) return exit_code;
  std::fprintf(stderr, "error: cannot write standard output: %s\n", std::strerror(first_error));
  return kExitError;
}

}  // namespace partnerpolicy::cli
