// Standard output as a checked destination. A report that does not reach standard output (a full
// disk, /dev/full, a closed descriptor) is exit 2 with "error: cannot write standard output:
// REASON" on standard error, never a silent exit 0 with nothing written.
#pragma once

#include <string_view>

namespace partnerpolicy::cli {

// Writes `text` to standard output now (write(2) after flushing what stdio holds) and returns
// whether all of it was written. On failure the error is kept for FinishStandardOutput, which
// reports it; when standard output is a regular file (not opened for appending), the file is
// cut back to where `text` began, so no torn report stays behind.
bool WriteStandardOutput(std::string_view text);

// What the program exits with: `exit_code`, unless a write to standard output failed (through
// WriteStandardOutput, or anything stdio or std::cout holds that cannot be flushed now); then
// the error is printed on standard error, once, and the result is kExitError.
int FinishStandardOutput(int exit_code);

}  // namespace partnerpolicy::cli
