// Waivers: a TOML file of accepted exceptions, each silencing one rule for one entity, with an
// owner who answers for it, a reason and an expiry date.
//
//   [[waiver]]
//   rule = "credits.monthly.reassignment-cap"
//   entity = "MC-2"
//   owner = "alice@contoso.com"
//   reason = "Microsoft support case 123 approved a sixth reassignment"
//   expires = 2027-03-31        # a TOML local date, or the string "2027-03-31"
//   partner = "1234567"         # optional: only states whose partner.id is this
//
// Decisions, for one fixture evaluated at date D:
//   - A waiver is expired when its expiry date is before D; it is still in force on its expiry
//     date itself. An expired waiver silences nothing (the finding is reported again).
//   - An unexpired waiver whose partner (when given) is the state's partner.id silences every
//     finding of its rule on its entity (same rule_id and entity_id). When two waivers could
//     silence a finding, the first in file order does.
// Decisions over a run (every fixture evaluated; see WaiverSet::Review):
//   - "waiver.expired" (error), once per waiver that was expired at the evaluation date of any
//     fixture, whatever its partner and whether or not it matched anything. An expired waiver
//     gives only this finding, never "waiver.unmatched" as well: renewing or deleting it is the
//     one thing to do, and one finding says so.
//   - "waiver.unmatched" (warning), once per unexpired waiver that silenced no finding in any
//     fixture of the run: the breach was fixed, or the waiver names the wrong rule or entity.
// These findings are located in the waiver file (file:line:col of the [[waiver]] header, and the
// pointer "/waiver/N", N counting from 0); their entity_id is the waived entity and their
// message names the waived rule, the owner and, for an expired waiver, the expiry date.
//
// Thread safety: a WaiverSet is immutable once read; Apply may run on several threads at once.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "partnerpolicy/date.h"
#include "partnerpolicy/finding.h"
#include "partnerpolicy/partner_state.h"
#include "partnerpolicy/policy.h"
#include "partnerpolicy/status.h"

namespace partnerpolicy {

// The rule ids of the findings a waiver file itself produces.
inline constexpr std::string_view kWaiverExpiredRule = "waiver.expired";
inline constexpr std::string_view kWaiverUnmatchedRule = "waiver.unmatched";

struct Waiver {
  std::string rule_id;
  std::string entity_id;
  std::string owner;
  std::string reason;
  Date expires;          // last day the waiver is in force
  std::string partner;   // partner.id the waiver is limited to; empty = any partner
  SourceLocation where;  // the [[waiver]] header in the waiver file; pointer "/waiver/N"
};

// A finding a waiver silenced: kept so that reports can say who accepted it, why and until when.
struct WaivedFinding {
  Finding finding;
  Waiver waiver;
};

// What one waiver did on one fixture.
enum class WaiverUse : unsigned char {
  kExpired,       // expiry date before the evaluation date: silenced nothing
  kOtherPartner,  // limited to another partner
  kUnused,        // in force, but no finding of its rule on its entity
  kSilenced,      // silenced at least one finding
};

// The result of applying the waivers to one fixture's findings.
struct WaiverOutcome {
  std::vector<Finding> findings;      // what is still reported, in the order given
  std::vector<WaivedFinding> waived;  // what was silenced, in the order given
  Date evaluation_date;
  std::vector<WaiverUse> uses;  // one per waiver, in file order
};

// The state's partner.id, what a waiver's `partner` is compared with.
std::string_view PartnerId(const PartnerState& state);

class WaiverSet {
 public:
  // Reads and checks a waiver file. Every problem is reported at once, in file order, each
  // with file:line:col (kInvalidConfig) and what was expected: a TOML syntax error; a key other
  // than
  // [[waiver]]; a missing, unknown, mistyped or empty field; an expiry that is not a real
  // calendar date; a rule that is not among `policies` or has no state check (so no finding
  // could match); a waiver repeating an earlier one's rule, entity and partner. A missing or
  // unreadable file is kIo.
  static Result<WaiverSet> Read(const std::filesystem::path& file,
                                const std::vector<PolicyInfo>& policies);

  const std::string& file() const { return file_; }
  const std::vector<Waiver>& waivers() const { return waivers_; }

  // Splits one fixture's findings into those still reported and those waived, at
  // `evaluation_date`, for the state whose partner.id is `partner_id`.
  WaiverOutcome Apply(std::vector<Finding> findings, std::string_view partner_id,
                      Date evaluation_date) const;

  // The waiver file's own findings over a run: "waiver.expired" and "waiver.unmatched" as
  // described above, in file order. `outcomes` holds Apply's result for each evaluated
  // fixture; an outcome without uses (a fixture that was not evaluated) is skipped, so a
  // waiver for an invalid fixture can be reported as unmatched.
  std::vector<Finding> Review(const std::vector<WaiverOutcome>& outcomes) const;

 private:
  std::string file_;
  std::vector<Waiver> waivers_;
};

}  // namespace partnerpolicy
