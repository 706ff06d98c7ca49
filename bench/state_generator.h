// Seeded, deterministic partner states for benchmarks: a synthetic partner of any size, valid
// against schemas/partner-state.schema.json, mostly compliant, with a chosen share of entities
// breaking a rule that the bundled policies check.
//
// Typical use:
//   GeneratorOptions options;
//   options.users = 100000;
//   options.seed = 7;
//   if (std::string problem = OptionsProblem(options); !problem.empty()) { ... }
//   std::string json = GeneratePartnerState(options);
#pragma once

#include <cstdint>
#include <string>

namespace partnerpolicy::bench {

struct GeneratorOptions {
  uint32_t users = 1000;             // number of users; other collections scale with it
  uint64_t seed = 1;                 // any value; each gives a different partner
  std::string as_of = "2026-11-23";  // the state's "as_of"; every date is placed around it
  double breach_share = 0.05;        // rough share of entities that break a rule
};

// Why a state cannot be generated from `options`, or "" when it can. The limits: users from 1
// to 1,000,000; breach_share from 0 to 1; as_of a calendar date YYYY-MM-DD in the years 1900 to
// 9000 (the generator places dates up to four years before and after it).
std::string OptionsProblem(const GeneratorOptions& options);

// A partner state as JSON text: valid against schemas/partner-state.schema.json and clean under
// the loader's integrity checks (every reference resolves, ids unique, e-mails and dates well
// formed). The same options always give the same bytes, on any platform (SeededRandom draws
// every choice; no std::*_distribution, whose output is implementation-defined). Returns ""
// when OptionsProblem(options) is not "".
//
// What it holds, per 1,000 users (each count at least 1 for tiny partners): 1,000 users (about
// 1% partner admins, service principals, guests with free e-mail addresses, users without a
// usage location), 3 tenants and 2 billing accounts (one more of each per 5,000 and 20,000
// users), 13 benefit packages (some bought before the modernized redemption went live), 250
// Azure credits (3 monthly to 1 bulk, with assignment and reassignment histories) and their
// sponsorship subscriptions, 5 pay-as-you-go subscriptions, 40 cloud benefits (keyless and
// product-key, with product keys) and the subscriptions their redemptions created, 10
// partner-ID links. The text is pretty-printed down to the entities, each entity on one line,
// so findings point at distinct lines.
//
// Each credit, cloud benefit and partner-ID link (and the partner itself) breaks a rule with
// probability breach_share; the rules broken are taken in turn from a fixed list per kind of
// entity, so even a few breaches cover several rules. With breach_share 0 the bundled policies
// find nothing at all in the state.
std::string GeneratePartnerState(const GeneratorOptions& options);

}  // namespace partnerpolicy::bench
