// Directory and glob expansion for `check` (POSIX glob(3); the library only ever sees files).
#include "fixture_paths.h"

#include <glob.h>

#include <algorithm>
#include <filesystem>

#include "partnerpolicy/directory_walk.h"

namespace partnerpolicy::cli {
namespace {

namespace fs = std::filesystem;

Error UsageError(std::string message) {
  return Error{ErrorCode::kUsage, std::move(message), {}, ""};
}

bool IsPattern(const std::string& argument) {
  return argument.find_first_of("*?[") != std::string::npos;
}

}  // namespace

Result<std::vector<std::string>> ExpandFixturePaths(const std::vector<std::string>& arguments) {
  std::vector<std::string> files;
  Errors errors;
  for (const std::string& argument : arguments) {
    std::error_code ec;
    if (fs::is_directory(argument, ec)) {
      Result<std::vector<fs::path>> listed =
          FilesUnder(argument, [](const fs::path& path) { return path.extension() == ".json"; });
      if (!listed.ok()) {
        for (Error& error : listed.take_errors()) errors.push_back(std::move(error));
        continue;
      }
      std::vector<std::string> found;
      for (const fs::path& path : listed.value()) {
        found.push_back(path.lexically_normal().string());
      }
      if (found.empty()) {
        errors.push_back(UsageError("directory " + argument + " holds no *.json fixture"));
        continue;
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (IsPattern(argument) && !fs::exists(argument, ec)) {
      glob_t matches{};
      int status = glob(argument.c_str(), 0, nullptr, &matches);
      std::vector<std::string> found;
      if (status == 0) {
        for (size_t i = 0; i < matches.gl_pathc; ++i) found.emplace_back(matches.gl_pathv[i]);
      }
      globfree(&matches);
      if (found.empty()) {
        errors.push_back(UsageError("pattern " + argument + " matches no file"));
        continue;
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(argument);
    }
  }
  if (!errors.empty()) return errors;
  return files;
}

}  // namespace partnerpolicy::cli
