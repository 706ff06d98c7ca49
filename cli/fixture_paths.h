// Turning the fixture arguments of `check` into a list of files: directories (every *.json under
// them) and quoted glob patterns (as a CI configuration may pass them) are expanded, in a stable,
// sorted order.
#pragma once

#include <string>
#include <vector>

#include "partnerpolicy/status.h"

namespace partnerpolicy::cli {

// Files in argument order; each directory's files and each pattern's matches sorted. Errors
// (kUsage): a pattern that matches nothing, a directory with no *.json file; (kIo) what the
// walk of a directory refuses (FilesUnder in directory_walk.h): a *.json that is not a regular
// file, a symbolic link loop, a directory that cannot be read. A plain path that does not exist
// is kept, so loading it reports the missing file like any other input error.
Result<std::vector<std::string>> ExpandFixturePaths(const std::vector<std::string>& arguments);

}  // namespace partnerpolicy::cli
