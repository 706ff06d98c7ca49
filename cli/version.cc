// partnerpolicy --version: the program's version and the content hash of the policies it would
// use. Loading the policies (a few milliseconds) is what makes the hash the one reports quote.
#include "commands.h"
#include "safe_text.h"

namespace partnerpolicy::cli {

std::string VersionText(const CommonOptions& common) {
  std::string text = std::string("partnerpolicy ") + PARTNERPOLICY_VERSION + "\n";
  std::filesystem::path dir = PolicyDirectory(common);
  Result<PolicySet> policies = PolicySet::Load(dir);
  if (!policies.ok()) {
    return text + "policies: " + Printable(dir.string()) +
           " (not loaded: " + Printable(policies.errors().front().ToString()) + ")";
  }
  return text + "policies: " + Printable(dir.string()) +
         " sha256:" + policies.value().content_hash();
}

}  // namespace partnerpolicy::cli
