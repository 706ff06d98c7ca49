// Atomic report files with POSIX calls: open a temporary file beside the target, write, fsync,
// rename, fsync the directory. rename(2) within one directory replaces the name atomically.
#include "report_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "commands.h"
#include "standard_output.h"

namespace partnerpolicy::cli {
namespace {

namespace fs = std::filesystem;

Error WriteError(const std::string& path, const std::string& what, int error_number) {
  return Error{ErrorCode::kIo,
               "cannot write the report: " + what + ": " + std::strerror(error_number),
               SourceLocation{path, 0, 0, ""}, ""};
}

std::string TemporaryPrefix(const fs::path& target) {
  return "." + target.filename().string() + ".tmp.";
}

// Deletes ".<name>.tmp.<pid>" files of runs that no longer exist (killed before their rename).
// A pid that is alive, or not ours to signal (EPERM), keeps its file.
void RemoveStrayTemporaries(const fs::path& directory, const std::string& prefix) {
  DIR* dir = opendir(directory.c_str());
  if (dir == nullptr) return;
  while (dirent* entry = readdir(dir)) {
    std::string name = entry->d_name;
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    std::string digits = name.substr(prefix.size());
    if (digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    pid_t pid = static_cast<pid_t>(std::stol(digits));
    if (pid == getpid()) continue;
    if (kill(pid, 0) != 0 && errno == ESRCH) unlink((directory / name).c_str());
  }
  closedir(dir);
}

bool WriteAll(int fd, std::string_view contents) {
  while (!contents.empty()) {
    ssize_t n = write(fd, contents.data(), contents.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (n == 0) {
      errno = EIO;
      return false;
    }
    contents.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Writes into an existing file that is not a regular one (a FIFO, /dev/stdout, a terminal):
// such a file cannot be replaced atomically, and replacing it would be wrong (as root, a rename
// over /dev/null would make it a regular file).
std::optional<Error> WriteInPlace(const std::string& path, std::string_view contents) {
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return WriteError(path, "cannot open", errno);
  if (!WriteAll(fd, contents)) {
    int saved = errno;
    close(fd);
    return WriteError(path, "cannot write", saved);
  }
  if (close(fd) != 0) return WriteError(path, "cannot write", errno);
  return std::nullopt;
}

}  // namespace

std::optional<Error> WriteFileAtomically(const std::string& path, std::string_view contents) {
  fs::path target(path);
  fs::path directory = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::error_code ec;
  if (target.filename().empty() || fs::is_directory(target, ec)) {
    return WriteError(path, "expected a file name, not a directory", EISDIR);
  }
  fs::file_status existing = fs::status(target, ec);
  if (!ec && fs::exists(existing) && !fs::is_regular_file(existing)) {
    return WriteInPlace(path, contents);
  }
  // A symbolic link to a file: the file it names is replaced, not the link (which may be
  // /dev/stdout, or a link the user keeps on purpose).
  if (fs::is_symlink(fs::symlink_status(target, ec)) && fs::exists(existing)) {
    fs::path real = fs::canonical(target, ec);
    if (!ec) {
      target = real;
      directory = target.parent_path();
    }
  }
  std::string prefix = TemporaryPrefix(target);
  RemoveStrayTemporaries(directory, prefix);
  fs::path temporary = directory / (prefix + std::to_string(getpid()));

  int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return WriteError(path, "cannot create " + temporary.string(), errno);
  if (!WriteAll(fd, contents) || fsync(fd) != 0) {
    int saved = errno;
    close(fd);
    unlink(temporary.c_str());
    return WriteError(path, "cannot write " + temporary.string(), saved);
  }
  if (close(fd) != 0) {
    int saved = errno;
    unlink(temporary.c_str());
    return WriteError(path, "cannot write " + temporary.string(), saved);
  }
  if (rename(temporary.c_str(), target.c_str()) != 0) {
    int saved = errno;
    unlink(temporary.c_str());
    return WriteError(path, "cannot rename " + temporary.string() + " into place", saved);
  }
  // The rename is durable only once the directory entry is on disk. The new file is in place
  // by now, so a failure here is reported but leaves it there: whole, only perhaps not durable.
  // (A directory we may write but not read cannot be opened to sync; that is no error.)
  int dir_fd = open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return std::nullopt;
  if (fsync(dir_fd) != 0 && errno != EINVAL) {  // EINVAL: a file system that cannot sync one
    int saved = errno;
    close(dir_fd);
    return WriteError(path, "cannot sync the directory", saved);
  }
  close(dir_fd);
  return std::nullopt;
}

int EmitReport(const std::string& output, std::string_view report, int exit_code) {
  if (output.empty()) {
    // The write error itself is printed by FinishStandardOutput, in main.
    return WriteStandardOutput(report) ? exit_code : kExitError;
  }
  if (std::optional<Error> error = WriteFileAtomically(output, report)) {
    return ReportErrors(Errors{*error}, Format::kText);  // to standard error
  }
  return exit_code;
}

bool ReportInColour(const std::string& output) { return output.empty() && UseColour(); }

}  // namespace partnerpolicy::cli
