// The running program's own path comes from /proc/self/exe (Linux): argv[0] may be a bare name
// found on PATH or a relative path from another directory, and a symlink such as
// /usr/local/bin/partnerpolicy -> /opt/partnerpolicy/bin/partnerpolicy must lead to the data
// installed beside the real file, which the kernel's link already names.
#include "install_paths.h"

namespace partnerpolicy::cli {

namespace fs = std::filesystem;

fs::path InstalledDataDir(const fs::path& program, std::string_view name) {
  return (program.parent_path() / ".." / "share" / "partnerpolicy" / name).lexically_normal();
}

std::optional<fs::path> InstalledDataDirOfThisProgram(std::string_view name) {
  std::error_code ec;
  fs::path program = fs::read_symlink("/proc/self/exe", ec);
  if (ec || program.empty()) return std::nullopt;
  fs::path dir = InstalledDataDir(program, name);
  if (!fs::is_directory(dir, ec)) return std::nullopt;
  return dir;
}

}  // namespace partnerpolicy::cli
