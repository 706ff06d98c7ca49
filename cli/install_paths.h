// Where an installed partnerpolicy finds its data: next to the program, as `cmake --install`
// and the Debian package lay it out (PREFIX/bin/partnerpolicy beside
// PREFIX/share/partnerpolicy/{policies,schemas}), so an installed binary needs no flag and no
// source tree.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

namespace partnerpolicy::cli {

// The directory the installed data of that name would be in relative to `program` (the running
// executable's path): PROGRAM_DIR/../share/partnerpolicy/<name>, lexically normalised. Pure: it
// does not look at the file system.
std::filesystem::path InstalledDataDir(const std::filesystem::path& program, std::string_view name);

// InstalledDataDir for the running executable (/proc/self/exe), when that directory exists;
// nullopt when it does not, or when the executable's path cannot be read (no /proc).
std::optional<std::filesystem::path> InstalledDataDirOfThisProgram(std::string_view name);

}  // namespace partnerpolicy::cli
