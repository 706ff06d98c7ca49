// Listing the input files under a directory: the one walk behind every command that takes a
// directory (the policy directory, `check`'s fixture directories, the policy tests, the seed
// documents of `lint --seeds`), so that each survives what a hostile tree holds: symbolic link
// loops, directories it may not read, and FIFOs, sockets or devices named like input files
// (a FIFO would block the reader forever; skipping it silently would drop an input).
#pragma once

#include <filesystem>
#include <functional>
#include <vector>

#include "partnerpolicy/status.h"

namespace partnerpolicy {

// Whether a path found by the walk names an input file (e.g. "*.json"), by its name alone.
using InputFileName = std::function<bool(const std::filesystem::path& path)>;

enum class WalkDepth {
  kWholeTree,  // `dir` and every directory under it
  kTopOnly,    // the entries of `dir` itself; its subdirectories are not entered
};

// The paths (`dir` / relative path) of the files under `dir` that `input` accepts: regular
// files, or symbolic links to regular files. Walked in name order, each directory once: a
// subdirectory is entered whatever its name, and so is a symbolic link to a directory, except
// that a link leading back to a directory the walk is inside (a loop) is an error, and a
// directory reached again through another link is not walked twice. Entries `input` does not
// accept are skipped, whatever they are (a broken link included), once they are known not to
// be directories.
// Errors (kIo, each naming the path; all of them, in walk order): an accepted name that is not a
// regular file ("not a regular file (a FIFO)"), or a symbolic link whose target does not
// exist; a symbolic link that cannot be followed, a loop included ("symbolic link loop: ...");
// a directory that cannot be read ("cannot list: Permission denied"): deliberately an error,
// not skipped, since skipping would silently drop the policies or fixtures inside.
// REQUIRES: `dir` is a directory (each caller says what else it is, in its own words).
Result<std::vector<std::filesystem::path>> FilesUnder(const std::filesystem::path& dir,
                                                      const InputFileName& input,
                                                      WalkDepth depth = WalkDepth::kWholeTree);

}  // namespace partnerpolicy
