// The directory walk, with std::filesystem's error_code overloads throughout (nothing throws)
// and stat(2) for a directory's identity (device and inode), which is how a loop is recognised
// whatever path leads into it.
#include "partnerpolicy/directory_walk.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <string>
#include <utility>

namespace partnerpolicy {
namespace {

namespace fs = std::filesystem;

using DirectoryId = std::pair<dev_t, ino_t>;

Error WalkError(const fs::path& path, std::string message) {
  return Error::Io({path.string(), 0, 0, ""}, std::move(message));
}

const char* KindOf(fs::file_type type) {
  switch (type) {
    case fs::file_type::fifo:
      return "a FIFO";
    case fs::file_type::socket:
      return "a socket";
    case fs::file_type::character:
      return "a character device";
    case fs::file_type::block:
      return "a block device";
    default:
      return "of an unknown kind";
  }
}

// A directory being walked: its entries in name order and the next one to look at.
struct Frame {
  fs::path dir;
  DirectoryId id;
  std::vector<fs::path> entries;
  size_t next = 0;
};

class Walk {
 public:
  Walk(const InputFileName& input, WalkDepth depth) : input_(input), depth_(depth) {}

  Result<std::vector<fs::path>> Run(const fs::path& dir) {
    struct stat info {};
    if (::stat(dir.c_str(), &info) != 0) {
      return WalkError(dir, std::string("cannot list: ") + std::strerror(errno));
    }
    Enter(dir, {info.st_dev, info.st_ino});
    // An explicit stack rather than recursion: a hostile tree may be thousands deep.
    while (!stack_.empty()) {
      Frame& top = stack_.back();
      if (top.next == top.entries.size()) {
        stack_.pop_back();
        continue;
      }
      fs::path entry = top.entries[top.next++];
      Visit(entry);  // may push a frame: `top` is not used after this
    }
    if (!errors_.empty()) return errors_;
    return std::move(files_);
  }

 private:
  void Enter(const fs::path& dir, DirectoryId id) {
    Frame frame{dir, id, {}, 0};
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      frame.entries.push_back(it->path());
    }
    if (ec) {
      errors_.push_back(WalkError(dir, "cannot list: " + ec.message()));
      return;
    }
    std::sort(frame.entries.begin(), frame.entries.end());
    walked_.insert(id);
    stack_.push_back(std::move(frame));
  }

  void Visit(const fs::path& path) {
    std::error_code ec;
    fs::file_status status = fs::symlink_status(path, ec);
    if (ec) {
      // Gone since the listing: nothing to read. Otherwise the entry cannot be looked at.
      if (status.type() != fs::file_type::not_found) {
        errors_.push_back(WalkError(path, "cannot read: " + ec.message()));
      }
      return;
    }
    if (fs::is_symlink(status)) {
      status = fs::status(path, ec);
      if (ec && status.type() == fs::file_type::not_found) {
        if (input_(path)) {
          errors_.push_back(WalkError(path, "broken symbolic link: its target does not exist"));
        }
        return;
      }
      if (ec == std::errc::too_many_symbolic_link_levels) {
        errors_.push_back(WalkError(path, "symbolic link loop: " + ec.message()));
        return;
      }
      if (ec) {
        errors_.push_back(WalkError(path, "cannot follow the symbolic link: " + ec.message()));
        return;
      }
    }
    if (fs::is_directory(status)) {
      if (depth_ == WalkDepth::kTopOnly) return;
      struct stat info {};
      if (::stat(path.c_str(), &info) != 0) {
        errors_.push_back(WalkError(path, std::string("cannot list: ") + std::strerror(errno)));
        return;
      }
      DirectoryId id{info.st_dev, info.st_ino};
      for (const Frame& frame : stack_) {
        if (frame.id == id) {
          errors_.push_back(WalkError(path, "symbolic link loop: leads back to " +
                                                frame.dir.string() + ", which holds it"));
          return;
        }
      }
      if (walked_.count(id) == 0) Enter(path, id);
      return;
    }
    if (!input_(path)) return;
    if (!fs::is_regular_file(status)) {
      errors_.push_back(
          WalkError(path, std::string("not a regular file (") + KindOf(status.type()) + ")"));
      return;
    }
    files_.push_back(path);
  }

  const InputFileName& input_;
  const WalkDepth depth_;
  std::vector<Frame> stack_;
  std::set<DirectoryId> walked_;
  std::vector<fs::path> files_;
  Errors errors_;
};

}  // namespace

Result<std::vector<fs::path>> FilesUnder(const fs::path& dir, const InputFileName& input,
                                         WalkDepth depth) {
  return Walk(input, depth).Run(dir);
}

}  // namespace partnerpolicy
