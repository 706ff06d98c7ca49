// Atomic report files with POSIX calls: open a temporary file beside the target, write, fsync,
// rename, fsync the directory. rename(2) within one directory replaces the name atomically.
#include "report_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
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
    contents.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Writes into something that is not a regular file (a character device such as /dev/null, a
// FIFO, a socket, /dev/stdout on a pipe): opened as it is, written, closed; nothing to replace.
std::optional<Error> WriteThrough(const std::string& path, std::string_view contents) {
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return WriteError(path, "cannot open it", errno);
  if (!WriteAll(fd, contents)) {
    int saved = errno;
    close(fd);
    return WriteError(path, "cannot write it", saved);
  }
  if (close(fd) != 0) return WriteError(path, "cannot write it", errno);
  return std::nullopt;
}

std::optional<Error> ReplaceAtomically(const std::string& path, std::string_view contents);

}  // namespace

std::optional<Error> WriteFileAtomically(const std::string& path, std::string_view contents) {
  struct stat link {};
  if (lstat(path.c_str(), &link) != 0) {
    if (errno == ENOENT) return ReplaceAtomically(path, contents);  // a new file
    return WriteError(path, "cannot examine it", errno);
  }
  if (S_ISREG(link.st_mode)) return ReplaceAtomically(path, contents);
  if (S_ISDIR(link.st_mode)) {
    return WriteError(path, "expected a file name, not a directory", EISDIR);
  }
  struct stat target {};
  if (stat(path.c_str(), &target) != 0) {
    // A symbolic link to nothing (or a loop): where the report should go is not clear.
    return WriteError(path, "it is a symbolic link that leads to no file", errno);
  }
  if (S_ISDIR(target.st_mode)) {
    return WriteError(path, "expected a file name, not a directory", EISDIR);
  }
  if (!S_ISREG(target.st_mode)) return WriteThrough(path, contents);
  // A symbolic link to a regular file: the file it leads to is replaced; the link stays.
  char resolved[PATH_MAX];
  if (realpath(path.c_str(), resolved) == nullptr) {
    return WriteError(path, "cannot resolve the symbolic link", errno);
  }
  return ReplaceAtomically(resolved, contents);
}

namespace {

std::optional<Error> ReplaceAtomically(const std::string& path, std::string_view contents) {
  fs::path target(path);
  fs::path directory = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::error_code ec;
  if (target.filename().empty() || fs::is_directory(target, ec)) {
    return WriteError(path, "expected a file name, not a directory", EISDIR);
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

}  // namespace

int EmitReport(const std::string& output, std::string_view report, int exit_code, Format format) {
  const std::string safe = SafeForOutput(report, OutputOf(format), ReportInColour(output));
  if (output.empty()) {
    // The write error itself is printed by FinishStandardOutput, in main.
    return WriteStandardOutput(safe) ? exit_code : kExitError;
  }
  if (std::optional<Error> error = WriteFileAtomically(output, safe)) {
    return ReportErrors(Errors{*error}, Format::kText);  // to standard error
  }
  return exit_code;
}

bool ReportInColour(const std::string& output) { return output.empty() && UseColour(); }

Output OutputOf(Format format) {
  switch (format) {
    case Format::kJson:
    case Format::kSarif:
      return Output::kJson;
    case Format::kGithub:
      return Output::kAnnotations;
    case Format::kText:
    case Format::kTap:
    case Format::kJunit:
      return Output::kText;
  }
  return Output::kText;
}

}  // namespace partnerpolicy::cli
