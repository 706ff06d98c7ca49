// The checks that loading a policy directory (engine.h: PolicySet::Load, lua/policy_runtime.h)
// and lint (policy_lint.h) both make, written once, so that both say the same thing at the same
// place: a metadata problem of a rule table, a Lua error while loading a file, a rule id declared
// twice, a decided action actions.toml lacks, an action without its effect and an effect without
// its action. Places in Lua text come from LintedFile (linted_file.h): the rule table's fields as
// the compiled chunk stores them, columns found in the text.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "linted_file.h"
#include "lua/policy_reading.h"
#include "partnerpolicy/action_catalog.h"
#include "partnerpolicy/policy_text.h"
#include "partnerpolicy/status.h"

namespace partnerpolicy {

// `text` listed for places: its chunk and rule table when it compiles (else lines only).
LintedFile ListedFile(const PolicyText& text);

// Gives a Lua error of `file` ("file:line: message", the line from Lua) its column, which Lua
// never reports: for a syntax error naming a token ("near '}'"), the token's column when it
// stands once on that line; else the first non-blank column of the line. Errors of another file,
// without a line or with a column already are left as they are.
void PlaceLuaError(const LintedFile& file, Error& error);

// PlaceLuaError for each error, with the file among `texts` it names.
void PlaceLuaErrors(const std::vector<const std::vector<PolicyText>*>& texts, Errors& errors);

// A metadata problem (lua/policy_reading.h) at the field it concerns (kInvalidPolicy).
Error MetadataError(const LintedFile& file, const MetadataProblem& problem);

// `file` declares the rule id `id` already declared at `first`: at its `id =` (kInvalidPolicy).
Error DuplicateRuleIdError(const LintedFile& file, const std::string& id,
                           const SourceLocation& first);

// `file`'s rule decides `action`, which `actions_file` does not declare: at the action's key in
// `decide` (kInvalidPolicy).
Error UndeclaredActionError(const LintedFile& file, const std::string& action,
                            const std::filesystem::path& actions_file);

// Where an effect is given: its action's key (`["credit.assign"] = function`) in its file.
SourceLocation EffectLocation(const LintedFile& file, const EffectInfo& effect);

// Every action of `catalog` has an effect (checked only when `every_file_loaded`: an effects
// file that failed may hold it), and every effect is of a declared action. `dir` is the policy
// directory, `effect_texts` the effects files (for places). Errors are kInvalidPolicy: at the
// action's table in actions.toml, at the effect's key.
Errors CheckEffects(const ActionCatalog& catalog, const std::vector<EffectInfo>& effects,
                    const std::filesystem::path& dir, const std::vector<PolicyText>& effect_texts,
                    bool every_file_loaded);

}  // namespace partnerpolicy
