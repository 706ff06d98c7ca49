// SHA-256 through OpenSSL's EVP interface: the digest comes from a maintained library, never
// from code of ours.
#include "content_hash.h"

#include <openssl/err.h>
#include <openssl/evp.h>

#include <algorithm>
#include <memory>

namespace partnerpolicy {
namespace {

struct DigestContextDeleter {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
using DigestContext = std::unique_ptr<EVP_MD_CTX, DigestContextDeleter>;

Error CryptoError(const char* step) {
  // ERR_get_error is 0 when OpenSSL left no reason; say so rather than print "error:00000000".
  unsigned long code = ERR_get_error();
  char reason[256] = "no reason given";
  if (code != 0) ERR_error_string_n(code, reason, sizeof reason);
  return Error{
      ErrorCode::kIo, std::string("cannot compute SHA-256: ") + step + ": " + reason, {}, ""};
}

// A netstring: the length in decimal, ':', the bytes, ','. Lengths first, so a name that
// contains framing characters cannot be confused with the framing.
bool UpdateNetstring(EVP_MD_CTX* context, std::string_view bytes) {
  std::string length = std::to_string(bytes.size()) + ":";
  return EVP_DigestUpdate(context, length.data(), length.size()) == 1 &&
         EVP_DigestUpdate(context, bytes.data(), bytes.size()) == 1 &&
         EVP_DigestUpdate(context, ",", 1) == 1;
}

}  // namespace

Result<std::string> ContentHash(std::vector<HashedFile> files) {
  std::sort(files.begin(), files.end(),
            [](const HashedFile& a, const HashedFile& b) { return a.name < b.name; });
  for (size_t i = 1; i < files.size(); ++i) {
    if (files[i].name == files[i - 1].name) {
      return Error{ErrorCode::kInvalidPolicy,
                   "'" + files[i].name + "' is named twice in one content hash",
                   {},
                   ""};
    }
  }
  DigestContext context(EVP_MD_CTX_new());
  if (context == nullptr) return CryptoError("EVP_MD_CTX_new");
  if (EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1) {
    return CryptoError("EVP_DigestInit_ex");
  }
  constexpr std::string_view kHeader = "partnerpolicy content v1\n";
  if (EVP_DigestUpdate(context.get(), kHeader.data(), kHeader.size()) != 1) {
    return CryptoError("EVP_DigestUpdate");
  }
  for (const HashedFile& file : files) {
    if (!UpdateNetstring(context.get(), file.name) || !UpdateNetstring(context.get(), file.bytes)) {
      return CryptoError("EVP_DigestUpdate");
    }
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(context.get(), digest, &size) != 1) {
    return CryptoError("EVP_DigestFinal_ex");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * size);
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

}  // namespace partnerpolicy
