// Where a command's report goes: standard output, or with --output FILE a file replaced
// atomically, so that an interrupted run never leaves a torn report behind.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "partnerpolicy/status.h"

namespace partnerpolicy::cli {

// Replaces `path` with `contents` atomically: the text is written to a temporary file in the
// same directory (".<name>.tmp.<pid>"), flushed to disk (fsync), renamed over `path`, and the
// directory is fsync'd. A reader, or a run killed at any moment (kill -9 included), sees
// either the previous file (or none) or the whole new one.
// Stray temporary files: a run killed before its rename leaves its ".<name>.tmp.<pid>" behind;
// the next write of the same path deletes those whose process no longer exists (another
// run's live temporary file is left alone), so they never pile up or block a later run.
// A `path` that exists and is not a regular file (a FIFO, a terminal, /dev/stdout) is written
// in place instead, without a temporary file: it cannot be replaced atomically, and replacing
// it would be wrong. A `path` that is a symbolic link to a file has that file replaced; the link
// stays.
// Errors (kIo, naming `path`): the directory is missing or not writable, the disk is full (a
// write, fsync or close fails), the rename fails, or `path` is a directory: then the temporary
// file is removed and `path` is unchanged. Syncing the directory after the rename may fail too:
// `path` then holds the whole new text, perhaps not yet on disk.
std::optional<Error> WriteFileAtomically(const std::string& path, std::string_view contents);

// The one way a command hands over its report: to standard output when `output` is empty,
// else into the file `output` (WriteFileAtomically). Returns `exit_code`, or kExitError after
// printing the write error to standard error.
int EmitReport(const std::string& output, std::string_view report, int exit_code);

// Whether a report may use colour: only on standard output (never in a --output file) and
// only when UseColour() says so.
bool ReportInColour(const std::string& output);

}  // namespace partnerpolicy::cli
