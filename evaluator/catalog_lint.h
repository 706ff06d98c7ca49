// The lint check `message-catalog`: a policy, library or effects file and its message catalog
// (message_catalog.h) agree on which messages exist.
#pragma once

#include <vector>

#include "partnerpolicy/lint_problem.h"
#include "partnerpolicy/policy_text.h"

namespace partnerpolicy {

// The problems of one file: pp.say("key", …) with a key written out that the file's catalog
// lacks, or in a file without a catalog (errors, at the key, the closest key suggested); a
// catalog message that no pp.say of the file names (warning, at the message in the catalog).
// Keys are read from the text, not run: a call whose key is computed is not checked, and a
// catalog whose file computes any key gets no unused-message warning.
std::vector<LintProblem> CheckMessageCatalog(const PolicyText& file);

}  // namespace partnerpolicy
