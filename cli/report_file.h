// Where a command's report goes: standard output, or with --output FILE a file replaced
// atomically, so that an interrupted run never leaves a torn report behind.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "options.h"
#include "partnerpolicy/status.h"
#include "safe_text.h"

namespace partnerpolicy::cli {

// Replaces `path` with `contents` atomically: the text is written to a temporary file in the
// same directory (".<name>.tmp.<pid>"), flushed to disk (fsync), renamed over `path`, and the
// directory is fsync'd. A reader, or a run killed at any moment (kill -9 included), sees
// either the previous file (or none) or the whole new one.
// Stray temporary files: a run killed before its rename leaves its ".<name>.tmp.<pid>" behind;
// the next write of the same path deletes those whose process no longer exists (another
// run's live temporary file is left alone), so they never pile up or block a later run.
// What `path` is decides how it is written:
//   - absent or a regular file: replaced atomically as above;
//   - a symbolic link to a regular file: the file it leads to is replaced atomically, and the
//     link stays a link;
//   - a character device, FIFO or socket (/dev/null, a named pipe, /dev/stdout on a pipe or a
//     terminal): written through as it is, since there is nothing to replace (a FIFO waits for
//     its reader);
//   - a directory, or a symbolic link that leads nowhere (dangling or a loop): refused.
// Errors (kIo, naming `path`): the directory is missing or not writable, the disk is full (a
// write, fsync or close fails), the rename fails, or `path` is refused as above: then the
// temporary file is removed and `path` is unchanged. Syncing the directory after the rename may
// fail too: `path` then holds the whole new text, perhaps not yet on disk.
std::optional<Error> WriteFileAtomically(const std::string& path, std::string_view contents);

// The one way a command hands over its report, written in `format`: made safe to print
// (SafeForOutput, keeping colour when ReportInColour(output)), then to standard output when
// `output` is empty, else into the file `output` (WriteFileAtomically). Returns `exit_code`, or
// kExitError after printing the write error to standard error.
int EmitReport(const std::string& output, std::string_view report, int exit_code, Format format);

// What SafeForOutput needs to know of a report in `format`.
Output OutputOf(Format format);

// Whether a report may use colour: only on standard output (never in a --output file) and
// only when UseColour() says so.
bool ReportInColour(const std::string& output);

}  // namespace partnerpolicy::cli
