// The content hash of a set of named files: a SHA-256 digest that changes when any file's name
// or any of its bytes changes, and only then. A policy set quotes it so a report can be traced
// to the exact policies that produced it. The only user of OpenSSL (libcrypto).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "partnerpolicy/status.h"

namespace partnerpolicy {

// One file taking part in a content hash. `name` is its path relative to the directory hashed,
// with '/' separators ("credits/monthly_validity.lua"), so the hash does not depend on where the
// directory sits. `bytes` must outlive the call.
struct HashedFile {
  std::string name;
  std::string_view bytes;
};

// SHA-256 over `files` in byte order of their names, each framed as two netstrings
// ("<length>:<name>," then "<length>:<bytes>,") after the line "partnerpolicy content v1\n", so
// no two different sets of files give the same input to the digest. Returns the digest as 64
// lowercase hex digits.
//
// Errors: two files with the same name (kInvalidPolicy); libcrypto failed to compute the
// digest (kIo, with OpenSSL's message; not expected in practice).
Result<std::string> ContentHash(std::vector<HashedFile> files);

}  // namespace partnerpolicy
