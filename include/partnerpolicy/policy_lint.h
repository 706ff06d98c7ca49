// Checking a policy directory without evaluating any partner state: `partnerpolicy lint`.
//
// Every problem is reported, not only the first: a file that does not load is one problem and
// the other files are still checked. What the code does, and on which line, comes from the
// compiled chunk (lua/chunk_listing.h); what a policy declares comes from running its chunk in
// the sandbox (the runtime's reading mode), which builds the rule table and calls none of its
// functions. policies.toml and actions.toml are checked as loading checks them.
//
// The checks, by the id each problem carries:
//   load              a file does not compile, or its chunk raises an error (one problem a file)
//   metadata          a rule-table field is missing or malformed: id (dotted lower-case words),
//                     title, description (from the rule table or the file's message catalog,
//                     not both), severity, source { seed, section }, params,
//                     constrains, no_say, and at least one of check, alerts, decide
//   unknown-field     a field a rule table does not have (e.g. a misspelt one)
//   duplicate-id      two policies declare the same id (the message names the other place)
//   unused-param      (warning) a declared parameter that no code reads as a field
//   undeclared-param  the code reads ctx.params.X or params.X, and X is not declared
//   settings          policies.toml does not parse, or sets an unknown rule or parameter, or a
//                     value of another type than the declared default
//   actions           actions.toml does not parse, or a policy decides an action it lacks
//   source            source names no seed document, or no section heading of it (the closest
//                     heading is suggested); checked against DIR/sources.toml, or the seed
//                     documents themselves with LintOptions::seeds
//   global-write      the code assigns a global (`x = 1`, `function f() end`)
//   undefined-global  the code reads a global the sandbox does not provide (e.g. `pramas.x`)
//   unknown-state-field  (with LintOptions::schema) the code reads a field the partner state
//                     does not have, e.g. `credit.knd` (the closest field name is suggested):
//                     - from a value traced to an object of the state (lua/state_reads.h:
//                       through the parameters named state and req, loops over its lists,
//                       pp.find), a field that kind of object lacks ("credit.knd: the partner
//                       state's credits[] have no field 'knd'");
//                     - from a table of unknown origin (a helper's result, a table of the
//                       policy's own), a field that no object of the state has AND that no
//                       policy or library of the directory writes, no sandbox table has, and
//                       the host does not set on ctx or req; reads from ctx, params, pp, lib
//                       and the standard libraries are left to the other checks;
//                     - req.X where no action of actions.toml has a parameter X.
//                     What it cannot see: fields read with a computed key (`t[name]`), values
//                     that reach a function under another parameter name, and a field name a
//                     policy both writes on its own tables and misspells on the state when the
//                     value's origin is unknown.
//   constrains        a rule without `constrains` (every rule says what it limits), or naming a
//                     part of the state the schema lacks (with LintOptions::schema)
//   touches           an action of actions.toml without `touches`, or naming a part of the state
//                     the schema lacks (with LintOptions::schema), at its line:col
//   ungoverned-action an action touches what a rule constrains, and the rule neither decides it
//                     nor gives a reason in no_say (governs_matrix.h); at the constrains entry
//   no-say            no_say names an action actions.toml lacks (error), or one the rule decides,
//                     or one that touches nothing the rule constrains (warnings: stale reasons);
//                     informs names an action actions.toml lacks or the rule does not decide
//                     (errors)
//   unknown-ctx-field the code reads ctx.X and the ctx the host passes has no X (it has params,
//                     as_of, report, alert, horizon), e.g. `ctx.as_off`: nil, which a comparison
//                     takes silently. Known by the name ctx, which every policy gives it.
//   message-catalog   pp.say("key") names a message the file's catalog (x.messages.toml)
//                     lacks, or the file has none (errors); a catalog message no pp.say of the
//                     file names (warning). See catalog_lint.h.
//   effects           (with DIR/effects/) an action of actions.toml without an effect, or an
//                     effect of an action it does not declare
// Helper libraries (DIR/lib/*.lua) and effects files (DIR/effects/*.lua) get the load,
// global-write, undefined-global, unknown-state-field, unknown-ctx-field and message-catalog
// checks.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "partnerpolicy/budgets.h"
#include "partnerpolicy/lint_problem.h"
#include "partnerpolicy/policy.h"
#include "partnerpolicy/status.h"

namespace partnerpolicy {

struct LintOptions {
  std::filesystem::path seeds;   // when set: check sources against these documents
  Budgets budgets;               // for running each chunk
  std::filesystem::path schema;  // when set: check the state fields code reads against it
};

struct LintReport {
  std::vector<LintProblem> problems;  // by file, line, column, check
  size_t policies = 0;                // policy files checked
  size_t libraries = 0;               // helper library files checked
  std::string sources;                // what sources were checked against; empty when not
  size_t errors() const;
  size_t warnings() const;
};

// Lints the policies of `dir`. Errors, when nothing can be linted: `dir` is not a readable
// directory or holds no *.lua file, `options.seeds` is not a readable directory,
// `options.schema` cannot be read or is no object schema, the sandbox cannot be built.
Result<LintReport> LintPolicyDirectory(const std::filesystem::path& dir,
                                       const LintOptions& options);

}  // namespace partnerpolicy
