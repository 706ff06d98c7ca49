// The account-status rules of seed 003 (membership actions need Active + Authorized, roles locked
// while vetting, the five-business-day verification SLA, three appeals) and the partner-ID / PEC
// rules of seed 004 (a linked managing-tenant account with access, a permanent PEC-eligible role,
// customers on the MCA and the Azure plan), through the library API. Every status value of the
// schema's enums is tried, business days are counted across weekends, and each decision is also
// asked in its open form (no actor, no role, no subscription) and compared with the concrete ones.
#include <gtest/gtest.h>

#include <optional>

#include "rule_test_support.h"

namespace partnerpolicy {
namespace {

using namespace testing;  // NOLINT: the rule-test vocabulary (StateBuilder, Decide, Said, ...)

constexpr char kMembershipRule[] = "account.membership-needs-active-authorized";
constexpr char kRolesRule[] = "account.roles-locked-while-vetting";
constexpr char kSlaRule[] = "account.verification-sla";
constexpr char kAppealRule[] = "account.appeal-limit";
constexpr char kLinkedRule[] = "pec.linked-account";
constexpr char kRoleRule[] = "pec.permanent-eligible-role";
constexpr char kScopeRule[] = "pec.customer-scope";

const char* const kProgramStatuses[] = {"active", "pending", "inactive"};
const char* const kVettingStatuses[] = {"authorized", "pending", "in_progress", "rejected",
                                        "challenged"};

Date Day(const char* text) { return *ParseDate(text); }

StateBuilder WithStatus(const std::string& program, const std::string& vetting) {
  StateBuilder builder;
  builder.Partner()["program_status"] = program;
  builder.Partner()["vetting_status"] = vetting;
  return builder;
}

// What `rule` said in `decision`, copied out (the decision may be a temporary).
std::optional<RuleDecision> SaidOf(const Decision& decision, const std::string& rule) {
  const RuleDecision* said = Said(decision, rule);
  if (said == nullptr) return std::nullopt;
  return *said;
}

// The verdict `rule` gave, or -1 when it had no say.
int VerdictOf(const Decision& decision, const std::string& rule) {
  const RuleDecision* said = Said(decision, rule);
  return said == nullptr ? -1 : static_cast<int>(said->verdict);
}

// ---------------------------------------------------------------------------------------------
// account.membership-needs-active-authorized (seed 003)

TEST(AccountMembershipTest, OnlyActiveAndAuthorizedAllowEveryMembershipAction) {
  for (const char* program : kProgramStatuses) {
    for (const char* vetting : kVettingStatuses) {
      SCOPED_TRACE(std::string(program) + " / " + vetting);
      PartnerState state = WithStatus(program, vetting).Build();
      const bool expected =
          std::string(program) == "active" && std::string(vetting) == "authorized";
      for (const char* action : {"membership.purchase", "membership.renew"}) {
        // alice holds partner_admin: roles do not unlock a blocked account.
        Decision decision = Decide(state, action, "alice", {});
        EXPECT_EQ(decision.allowed, expected) << action;
        std::optional<RuleDecision> said = SaidOf(decision, kMembershipRule);
        ASSERT_TRUE(said.has_value());
        EXPECT_EQ(said->verdict, expected ? Verdict::kAllow : Verdict::kDeny);
        // Open actor: the same answer.
        EXPECT_EQ(VerdictOf(Decide(state, action, "", {}), kMembershipRule),
                  static_cast<int>(said->verdict));
      }
    }
  }
}

TEST(AccountMembershipTest, DenialNamesEachWrongStatus) {
  PartnerState state = WithStatus("pending", "pending").Build();
  std::optional<RuleDecision> said =
      SaidOf(Decide(state, "membership.renew", "alice", {}), kMembershipRule);
  ASSERT_TRUE(said.has_value());
  EXPECT_EQ(said->message,
            "Northwind Traders cannot renew the membership: the program status is Pending, not "
            "Active, and verification is Pending, not Authorized; membership actions need both, "
            "whatever roles the user holds");

  said = SaidOf(Decide(WithStatus("active", "in_progress").Build(), "membership.purchase", "", {}),
                kMembershipRule);
  ASSERT_TRUE(said.has_value());
  EXPECT_EQ(said->message,
            "Northwind Traders cannot buy a membership offer: verification is In progress, not "
            "Authorized; membership actions need both, whatever roles the user holds");

  said = SaidOf(Decide(WithStatus("inactive", "authorized").Build(), "membership.renew", "", {}),
                kMembershipRule);
  ASSERT_TRUE(said.has_value());
  EXPECT_TRUE(Contains(said->message, "the program status is Inactive, not Active"));
  EXPECT_TRUE(Lacks(said->message, "verification is"));
  EXPECT_TRUE(
      Contains(said->remedy, "reactivate the Microsoft AI Cloud Partner Program enrollment"));
}

TEST(AccountMembershipTest, RemedyFitsTheVerificationStatus) {
  auto remedy = [](StateBuilder builder, Date as_of = kAsOf) {
    std::optional<RuleDecision> said =
        SaidOf(Decide(builder.Build(), "membership.renew", "", {}, as_of), kMembershipRule);
    return said ? said->remedy : std::string();
  };
  // Pending since Monday 2026-11-16: due Monday 2026-11-23, not overdue on that day.
  StateBuilder waiting = WithStatus("active", "pending");
  waiting.Partner()["vetting_submitted_on"] = "2026-11-16";
  EXPECT_TRUE(Contains(remedy(waiting),
                       "complete verification submitted on 2026-11-16 (normally "
                       "done by 2026-11-23, 5 business days later"));
  // The next day it is overdue: support.
  EXPECT_TRUE(Contains(remedy(waiting, Day("2026-11-24")),
                       "it is past its 5-business-day SLA (2026-11-23) with no Action required "
                       "banner, so contact Partner Center support"));
  waiting.Partner()["verification_banner"] = true;
  EXPECT_TRUE(Contains(remedy(waiting, Day("2026-11-24")), "Action required banner"));
  EXPECT_TRUE(Lacks(remedy(waiting, Day("2026-11-24")), "support"));

  StateBuilder rejected = WithStatus("active", "rejected");
  rejected.Partner()["appeals_used"] = 1;
  EXPECT_TRUE(Contains(remedy(rejected), "appeal the rejected verification"));
  EXPECT_TRUE(Contains(remedy(rejected), "2 of 3 appeals left"));
  rejected.Partner()["appeals_used"] = 3;
  EXPECT_TRUE(Contains(remedy(rejected), "Partner Center support (all 3 appeals are used)"));

  EXPECT_TRUE(
      Contains(remedy(WithStatus("active", "challenged")), "answer the verification challenge"));
  EXPECT_TRUE(Contains(remedy(WithStatus("pending", "authorized")),
                       "complete the Microsoft AI Cloud Partner Program enrollment"));
}

TEST(AccountMembershipTest, AllowStatesBothStatuses) {
  std::optional<RuleDecision> said =
      SaidOf(Decide(WithStatus("active", "authorized").Build(), "membership.renew", "alice", {}),
             kMembershipRule);
  ASSERT_TRUE(said.has_value());
  EXPECT_EQ(said->message,
            "Northwind Traders can renew the membership: the program status is Active and "
            "verification is Authorized");
  ASSERT_NE(FactOf(*said, "vetting_status"), nullptr);
  EXPECT_EQ(FactOf(*said, "vetting_status")->value, "authorized");
}

TEST(AccountMembershipTest, AlertsTheMembershipEndWithUrgency) {
  // The minimal membership ends 2027-01-14.
  PartnerState state = WithStatus("active", "authorized").Build();
  std::vector<Alert> alerts = AlertsOf(state, kMembershipRule, Day("2026-12-20"), 30);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].on, Day("2027-01-14"));
  EXPECT_EQ(alerts[0].severity, Severity::kWarning);
  EXPECT_EQ(alerts[0].pointer, "/partner");
  EXPECT_EQ(
      alerts[0].message,
      "membership Microsoft AI Cloud Partner Program Action Pack of Northwind Traders ends on "
      "2027-01-14; its benefits stop unless it is renewed");
  EXPECT_EQ(alerts[0].remedy, "a partner admin renews the membership before 2027-01-14");

  // Seven days before, and on the last day itself: error.
  alerts = AlertsOf(state, kMembershipRule, Day("2027-01-07"), 30);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].severity, Severity::kError);
  alerts = AlertsOf(state, kMembershipRule, Day("2027-01-14"), 30);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].severity, Severity::kError);
  // Eight days before: still a warning.
  alerts = AlertsOf(state, kMembershipRule, Day("2027-01-06"), 30);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].severity, Severity::kWarning);

  // Beyond the horizon, or already lapsed: nothing.
  EXPECT_TRUE(AlertsOf(state, kMembershipRule, Day("2026-12-14"), 30).empty());
  EXPECT_TRUE(AlertsOf(state, kMembershipRule, Day("2027-01-15"), 30).empty());
}

TEST(AccountMembershipTest, EndAlertSaysWhenRenewalIsBlocked) {
  StateBuilder builder = WithStatus("active", "rejected");
  builder.Partner()["appeals_used"] = 2;
  std::vector<Alert> alerts = AlertsOf(builder.Build(), kMembershipRule, Day("2026-12-20"), 30);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_TRUE(
      Contains(alerts[0].message,
               "; renewal is blocked today because verification is Rejected, not Authorized"));
  EXPECT_TRUE(Contains(alerts[0].remedy, "1 of 3 appeals left"));
  EXPECT_TRUE(Contains(alerts[0].remedy, "then renew before 2027-01-14"));
}

// ---------------------------------------------------------------------------------------------
// account.roles-locked-while-vetting (seed 003)

TEST(AccountRolesTest, PendingInProgressAndRejectedLockRoles) {
  for (const char* vetting : kVettingStatuses) {
    SCOPED_TRACE(vetting);
    StateBuilder builder = WithStatus("active", vetting);
    builder.AddUser("frank", "frank@northwind.de");
    PartnerState state = builder.Build();
    const std::string status(vetting);
    const bool locked = status == "pending" || status == "in_progress" || status == "rejected";
    Decision decision =
        Decide(state, "user.modify-roles", "alice", {{"user", "frank"}, {"role", "partner_admin"}});
    EXPECT_EQ(decision.allowed, !locked);
    ASSERT_NE(Said(decision, kRolesRule), nullptr);
    EXPECT_EQ(Said(decision, kRolesRule)->verdict, locked ? Verdict::kDeny : Verdict::kAllow);
    // Open role and actor: the same answer, whatever the role.
    EXPECT_EQ(VerdictOf(Decide(state, "user.modify-roles", "", {{"user", "frank"}}), kRolesRule),
              VerdictOf(decision, kRolesRule));
    EXPECT_EQ(VerdictOf(Decide(state, "user.modify-roles", "",
                               {{"user", "frank"}, {"role", "user_admin"}}),
                        kRolesRule),
              VerdictOf(decision, kRolesRule));
  }
}

TEST(AccountRolesTest, DenialSaysToFinishVerificationFirst) {
  StateBuilder builder = WithStatus("pending", "in_progress");
  builder.Partner()["vetting_submitted_on"] = "2026-11-16";
  builder.AddUser("frank", "frank@northwind.de");
  std::optional<RuleDecision> said = SaidOf(Decide(builder.Build(), "user.modify-roles", "alice",
                                                   {{"user", "frank"}, {"role", "partner_admin"}}),
                                            kRolesRule);
  ASSERT_TRUE(said.has_value());
  EXPECT_EQ(said->message,
            "the roles (adding partner_admin) of frank@northwind.de cannot be changed while "
            "verification is In progress: Partner Center can block adding or modifying user roles "
            "until verification is Authorized");
  EXPECT_TRUE(Contains(said->remedy, "complete verification first (submitted on 2026-11-16"));
  EXPECT_TRUE(Contains(said->remedy, "then change the roles of frank@northwind.de"));

  StateBuilder rejected = WithStatus("active", "rejected");
  std::optional<RuleDecision> appeal =
      SaidOf(Decide(rejected.Build(), "user.modify-roles", "", {{"user", "alice"}}), kRolesRule);
  ASSERT_TRUE(appeal.has_value());
  EXPECT_TRUE(Contains(appeal->message, "the roles of alice@northwind.de cannot be changed"));
  EXPECT_TRUE(Contains(appeal->remedy, "appeal the rejection"));
}

// ---------------------------------------------------------------------------------------------
// account.verification-sla (seed 003): business days, Monday to Friday

StateBuilder Submitted(const std::string& on, const std::string& vetting = "pending",
                       bool banner = false) {
  StateBuilder builder = WithStatus("pending", vetting);
  builder.Partner()["vetting_submitted_on"] = on;
  builder.Partner()["verification_banner"] = banner;
  return builder;
}

TEST(VerificationSlaTest, FridaySubmissionIsDueTheNextFridayAndOverdueOnMonday) {
  PartnerState state = Submitted("2026-11-13").Build();  // a Friday
  // On the due day, and over the weekend after it: 5 business days, not more.
  for (const char* day : {"2026-11-20", "2026-11-21", "2026-11-22"}) {
    SCOPED_TRACE(day);
    EXPECT_TRUE(Check(state, kSlaRule, Day(day)).empty());
    std::vector<Alert> alerts = AlertsOf(state, kSlaRule, Day(day));
    ASSERT_EQ(alerts.size(), 1u);
    EXPECT_EQ(alerts[0].on, Day("2026-11-20"));
    EXPECT_EQ(alerts[0].severity, Severity::kInfo);
  }
  std::vector<Alert> early = AlertsOf(state, kSlaRule, Day("2026-11-16"));
  ASSERT_EQ(early.size(), 1u);
  EXPECT_EQ(early[0].message,
            "verification of Northwind Traders, Pending since 2026-11-13, should complete by "
            "2026-11-20 (5 business days)");
  EXPECT_TRUE(Contains(early[0].remedy,
                       "if it is still Pending after 2026-11-20 and no Action "
                       "required banner is shown, contact Partner Center support"));

  // Monday 2026-11-23 is the sixth business day: overdue.
  std::vector<Finding> found = Check(state, kSlaRule, Day("2026-11-23"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].severity, Severity::kWarning);
  EXPECT_EQ(found[0].pointer, "/partner");
  EXPECT_EQ(found[0].message,
            "verification of Northwind Traders has been Pending for 6 business days since "
            "2026-11-13 (the SLA of 5 business days ran out on 2026-11-20) and no Action required "
            "banner is shown");
  EXPECT_TRUE(Contains(found[0].remedy, "contact Partner Center support"));
  std::vector<Alert> overdue = AlertsOf(state, kSlaRule, Day("2026-11-23"));
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0].on, Day("2026-11-20"));  // in the past: overdue
  EXPECT_EQ(overdue[0].severity, Severity::kWarning);
  EXPECT_EQ(overdue[0].message,
            "verification of Northwind Traders is overdue: Pending for 6 business days since "
            "2026-11-13 (due by 2026-11-20), with no Action required banner");
}

TEST(VerificationSlaTest, ThursdaySubmissionIsDueTheNextThursday) {
  PartnerState state = Submitted("2026-11-12").Build();  // a Thursday
  EXPECT_TRUE(Check(state, kSlaRule, Day("2026-11-19")).empty());
  std::vector<Alert> alerts = AlertsOf(state, kSlaRule, Day("2026-11-19"));
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].on, Day("2026-11-19"));
  EXPECT_EQ(Check(state, kSlaRule, Day("2026-11-20")).size(), 1u);  // Friday: 6th business day
}

TEST(VerificationSlaTest, SlaEndingOnAMondayCountsTheWeekendOut) {
  PartnerState state = Submitted("2026-11-16").Build();  // a Monday: due Monday 2026-11-23
  std::vector<Alert> alerts = AlertsOf(state, kSlaRule, Day("2026-11-20"));
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].on, Day("2026-11-23"));
  EXPECT_TRUE(Check(state, kSlaRule, Day("2026-11-23")).empty());
  EXPECT_EQ(Check(state, kSlaRule, Day("2026-11-24")).size(), 1u);

  // Submitted on a Saturday: the five business days start on Monday, due Friday.
  PartnerState saturday = Submitted("2026-11-14").Build();
  alerts = AlertsOf(saturday, kSlaRule, Day("2026-11-16"));
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].on, Day("2026-11-20"));
}

TEST(VerificationSlaTest, InProgressCountsLikePending) {
  PartnerState state = Submitted("2026-11-13", "in_progress").Build();
  std::vector<Finding> found = Check(state, kSlaRule, Day("2026-11-23"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_TRUE(Contains(found[0].message, "has been In progress for 6 business days"));
}

TEST(VerificationSlaTest, BannerMeansActOnItRatherThanEscalate) {
  PartnerState state = Submitted("2026-11-13", "pending", true).Build();
  EXPECT_TRUE(Check(state, kSlaRule, Day("2026-11-23")).empty());
  std::vector<Alert> alerts = AlertsOf(state, kSlaRule, Day("2026-11-23"));
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].on, Day("2026-11-20"));
  EXPECT_TRUE(
      Contains(alerts[0].message, "an Action required banner asks for the partner's action"));
  EXPECT_TRUE(Contains(alerts[0].remedy, "open the Action required / Fix now banner"));
  EXPECT_TRUE(Lacks(alerts[0].remedy, "support"));
}

TEST(VerificationSlaTest, SilentWhenNotWaitingOrWithoutASubmissionDate) {
  for (const char* vetting : {"authorized", "rejected", "challenged"}) {
    SCOPED_TRACE(vetting);
    PartnerState state = Submitted("2026-10-01", vetting).Build();
    EXPECT_TRUE(Check(state, kSlaRule).empty());
    EXPECT_TRUE(AlertsOf(state, kSlaRule).empty());
  }
  PartnerState undated = WithStatus("pending", "pending").Build();
  EXPECT_TRUE(Check(undated, kSlaRule).empty());
  EXPECT_TRUE(AlertsOf(undated, kSlaRule).empty());
}

TEST(VerificationSlaTest, RuleFixturesFailAndPass) {
  StateLoader loader = Loader();
  PartnerState fail =
      Must(loader.Load(SourceDir() / "fixtures/rules/account.verification-sla/fail.json"));
  PartnerState pass =
      Must(loader.Load(SourceDir() / "fixtures/rules/account.verification-sla/pass.json"));
  EXPECT_EQ(Check(fail, kSlaRule).size(), 1u);
  EXPECT_TRUE(Check(pass, kSlaRule).empty());
}

// ---------------------------------------------------------------------------------------------
// account.appeal-limit (seed 003)

StateBuilder Rejected(int64_t appeals_used) {
  StateBuilder builder = WithStatus("inactive", "rejected");
  builder.Partner()["appeals_used"] = appeals_used;
  return builder;
}

TEST(AppealLimitTest, RejectedVerificationAllowsThreeAppeals) {
  const char* const left_after[] = {"2", "1", "0"};
  for (int64_t used = 0; used < 3; ++used) {
    SCOPED_TRACE(used);
    PartnerState state = Rejected(used).Build();
    Decision decision = Decide(state, "verification.appeal", "alice", {});
    EXPECT_TRUE(decision.allowed);
    std::optional<RuleDecision> said = SaidOf(decision, kAppealRule);
    ASSERT_TRUE(said.has_value());
    EXPECT_EQ(said->verdict, Verdict::kAllow);
    ASSERT_NE(FactOf(*said, "appeals_left"), nullptr);
    EXPECT_EQ(FactOf(*said, "appeals_left")->value, left_after[used]);
    EXPECT_TRUE(FactOf(*said, "appeals_left")->numeric);
    EXPECT_TRUE(Contains(said->message, std::string("(") + left_after[used] +
                                            " of 3 appeals left after this one): select Resolve"));
    EXPECT_EQ(VerdictOf(Decide(state, "verification.appeal", "", {}), kAppealRule),
              static_cast<int>(Verdict::kAllow));
  }
  for (int64_t used : {3, 4}) {
    SCOPED_TRACE(used);
    PartnerState state = Rejected(used).Build();
    Decision decision = Decide(state, "verification.appeal", "", {});
    EXPECT_FALSE(decision.allowed);
    std::optional<RuleDecision> said = SaidOf(decision, kAppealRule);
    ASSERT_TRUE(said.has_value());
    EXPECT_EQ(said->message, "Northwind Traders has used " + std::to_string(used) +
                                 " of 3 appeals against the rejected verification");
    EXPECT_TRUE(Contains(said->remedy, "contact Partner Center support"));
  }
}

TEST(AppealLimitTest, NothingToAppealUnlessRejected) {
  for (const char* vetting : {"authorized", "pending", "in_progress", "challenged"}) {
    SCOPED_TRACE(vetting);
    Decision decision =
        Decide(WithStatus("active", vetting).Build(), "verification.appeal", "", {});
    EXPECT_FALSE(decision.allowed);
    std::optional<RuleDecision> said = SaidOf(decision, kAppealRule);
    ASSERT_TRUE(said.has_value());
    EXPECT_EQ(said->verdict, Verdict::kDeny);
    EXPECT_TRUE(Contains(said->message, "not rejected, so there is nothing to appeal"));
  }
  std::optional<RuleDecision> challenged =
      SaidOf(Decide(WithStatus("active", "challenged").Build(), "verification.appeal", "", {}),
             kAppealRule);
  ASSERT_TRUE(challenged.has_value());
  EXPECT_TRUE(Contains(challenged->remedy, "answer the challenge"));
}

TEST(AppealLimitTest, CheckFlagsMoreAppealsThanAllowed) {
  EXPECT_TRUE(Check(Rejected(3).Build(), kAppealRule).empty());
  std::vector<Finding> found = Check(Rejected(4).Build(), kAppealRule);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].severity, Severity::kError);
  EXPECT_EQ(found[0].entity_id, "7000001");
  EXPECT_EQ(found[0].message,
            "Northwind Traders records 4 verification appeals; at most 3 are allowed");
}

TEST(AppealLimitTest, AlertsWhenOneOrNoAppealIsLeft) {
  EXPECT_TRUE(AlertsOf(Rejected(1).Build(), kAppealRule).empty());
  std::vector<Alert> one = AlertsOf(Rejected(2).Build(), kAppealRule);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].on, kAsOf);
  EXPECT_EQ(one[0].severity, Severity::kWarning);
  EXPECT_EQ(one[0].message,
            "verification of Northwind Traders is Rejected and only 1 of 3 appeals is left");
  std::vector<Alert> none = AlertsOf(Rejected(3).Build(), kAppealRule);
  ASSERT_EQ(none.size(), 1u);
  EXPECT_EQ(none[0].message,
            "verification of Northwind Traders is Rejected and all 3 appeals are used");
  // Appeals recorded but verification no longer rejected: nothing to alert.
  StateBuilder authorized = WithStatus("active", "authorized");
  authorized.Partner()["appeals_used"] = 3;
  EXPECT_TRUE(AlertsOf(authorized.Build(), kAppealRule).empty());
}

// ---------------------------------------------------------------------------------------------
// PEC (seed 004): T1 is the managing tenant, T-LAB is not.

json Onboarded(const std::string& subscription, bool access = true, bool eligible = true,
               const std::string& assignment = "permanent",
               const std::string& role = "Contributor") {
  json onboarded;
  onboarded["subscription"] = subscription;
  onboarded["account_has_access"] = access;
  onboarded["role"] = role;
  onboarded["pec_eligible_role"] = eligible;
  onboarded["assignment"] = assignment;
  return onboarded;
}

json Link(const std::string& id, const std::string& account, const std::string& customer,
          std::vector<json> subscriptions, bool mca = true, bool plan = true,
          const std::string& partner_id = "7000001") {
  json link;
  link["id"] = id;
  link["partner_id"] = partner_id;
  link["account"] = account;
  link["customer"] = customer;
  link["customer_signed_mca"] = mca;
  link["customer_on_azure_plan"] = plan;
  link["onboarded_subscriptions"] = json::array();
  for (json& s : subscriptions) link["onboarded_subscriptions"].push_back(std::move(s));
  return link;
}

StateBuilder PecState(bool managing = true) {
  StateBuilder builder;
  if (managing) builder.Last("tenants")["managing"] = true;
  json lab;
  lab["id"] = "T-LAB";
  lab["domain"] = "northwindlab.onmicrosoft.com";
  lab["managing"] = false;
  builder.Add("tenants", lab);
  builder.AddUser("sp", "automation@northwind.de");
  builder.Last("users")["service_principal"] = true;
  builder.AddUser("lena", "lena@northwind.de");
  builder.Last("users")["tenant"] = "T-LAB";
  return builder;
}

TEST(PecLinkedAccountTest, ManagingAccountWithAccessIsAllowed) {
  StateBuilder builder = PecState();
  builder.Add("partner_id_links",
              Link("L-1", "sp", "Fabrikam", {Onboarded("fab-prod"), Onboarded("fab-dev")}));
  PartnerState state = builder.Build();
  Decision decision = Decide(state, "partner-id.link", "", {{"link", "L-1"}});
  EXPECT_TRUE(decision.allowed);
  std::optional<RuleDecision> said = SaidOf(decision, kLinkedRule);
  ASSERT_TRUE(said.has_value());
  EXPECT_EQ(said->verdict, Verdict::kAllow);
  EXPECT_EQ(said->message,
            "automation@northwind.de is in a managing tenant and has access to 2 of 2 onboarded "
            "subscriptions of Fabrikam");
  ASSERT_NE(FactOf(*said, "subscriptions_with_access"), nullptr);
  EXPECT_EQ(FactOf(*said, "subscriptions_with_access")->value, "2");
  EXPECT_TRUE(Check(state, kLinkedRule).empty());
  // The actor does not matter.
  EXPECT_EQ(VerdictOf(Decide(state, "partner-id.link", "alice", {{"link", "L-1"}}), kLinkedRule),
            static_cast<int>(Verdict::kAllow));
}

TEST(PecLinkedAccountTest, AccountOutsideTheManagingTenantIsDenied) {
  StateBuilder builder = PecState();
  builder.Add("partner_id_links", Link("L-2", "lena", "Wingtip Toys", {Onboarded("wt-prod")}));
  PartnerState state = builder.Build();
  std::optional<RuleDecision> said =
      SaidOf(Decide(state, "partner-id.link", "", {{"link", "L-2"}}), kLinkedRule);
  ASSERT_TRUE(said.has_value());
  EXPECT_EQ(said->verdict, Verdict::kDeny);
  EXPECT_EQ(said->message,
            "the linked account lena@northwind.de of link L-2 is in tenant T-LAB, which is not a "
            "managing tenant, so the link brings no recognition");
  // Service principals of the managing tenant are suggested first.
  EXPECT_EQ(
      said->remedy,
      "link the partner ID with a user or service principal of the managing tenant T1 "
      "(northwind.onmicrosoft.com) (for example automation@northwind.de, alice@northwind.de)");
  std::vector<Finding> found = Check(state, kLinkedRule);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "L-2");
  EXPECT_EQ(found[0].pointer, "/partner_id_links/0");
  EXPECT_EQ(found[0].line, builder.LineOf("/partner_id_links/0"));
  EXPECT_EQ(found[0].column, 5);
}

TEST(PecLinkedAccountTest, NoManagingTenantAtAll) {
  StateBuilder builder = PecState(/*managing=*/false);
  builder.Add("partner_id_links", Link("L-1", "sp", "Fabrikam", {Onboarded("fab-prod")}));
  std::optional<RuleDecision> said =
      SaidOf(Decide(builder.Build(), "partner-id.link", "", {{"link", "L-1"}}), kLinkedRule);
  ASSERT_TRUE(said.has_value());
  EXPECT_EQ(said->verdict, Verdict::kDeny);
  EXPECT_TRUE(Contains(said->remedy, "mark the partner's managing tenant (tenants[].managing)"));
}

TEST(PecLinkedAccountTest, ForeignPartnerIdIsDenied) {
  StateBuilder builder = PecState();
  builder.Add("partner_id_links",
              Link("L-1", "sp", "Fabrikam", {Onboarded("fab-prod")}, true, true, "9999999"));
  PartnerState state = builder.Build();
  std::optional<RuleDecision> said =
      SaidOf(Decide(state, "partner-id.link", "", {{"link", "L-1"}}), kLinkedRule);
  ASSERT_TRUE(said.has_value());
  EXPECT_EQ(said->verdict, Verdict::kDeny);
  EXPECT_TRUE(Contains(said->message,
                       "link L-1 uses partner ID 9999999, not the Associated Partner ID 7000001"));
  EXPECT_EQ(Check(state, kLinkedRule).size(), 1u);
}

TEST(PecLinkedAccountTest, SubscriptionsWithoutAccessAreNamedUnlessAnotherLinkReachesThem) {
  StateBuilder builder = PecState();
  builder.Add("partner_id_links", Link("L-1", "sp", "Tailspin Toys",
                                       {Onboarded("ts-prod"), Onboarded("ts-dev", false),
                                        Onboarded("ts-test", false)}));
  PartnerState alone = builder.Build();
  std::optional<RuleDecision> said =
      SaidOf(Decide(alone, "partner-id.link", "", {{"link", "L-1"}}), kLinkedRule);
  ASSERT_TRUE(said.has_value());
  EXPECT_EQ(said->verdict, Verdict::kDeny);
  EXPECT_EQ(said->message,
            "linked account automation@northwind.de has no access to onboarded subscriptions "
            "ts-dev, ts-test of Tailspin Toys");
  EXPECT_TRUE(Contains(said->remedy, "give automation@northwind.de access to ts-dev, ts-test"));
  std::vector<Finding> found = Check(alone, kLinkedRule);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_TRUE(Contains(found[0].message,
                       "ts-dev, ts-test of Tailspin Toys, and no other linked account has"));

  // alice (managing tenant) is linked too and reaches ts-dev: only ts-test is missing.
  builder.Add("partner_id_links", Link("L-2", "alice", "Tailspin Toys", {Onboarded("ts-dev")}));
  PartnerState covered = builder.Build();
  said = SaidOf(Decide(covered, "partner-id.link", "", {{"link", "L-1"}}), kLinkedRule);
  ASSERT_TRUE(said.has_value());
  EXPECT_EQ(said->message,
            "linked account automation@northwind.de has no access to onboarded subscription "
            "ts-test of Tailspin Toys");
  // Once ts-test is reached elsewhere too, L-1 is fine.
  builder.Last("partner_id_links")["onboarded_subscriptions"].push_back(Onboarded("ts-test"));
  PartnerState all = builder.Build();
  said = SaidOf(Decide(all, "partner-id.link", "", {{"link", "L-1"}}), kLinkedRule);
  ASSERT_TRUE(said.has_value());
  EXPECT_EQ(said->verdict, Verdict::kAllow);
  EXPECT_TRUE(Contains(said->message,
                       "access to 1 of 3 onboarded subscriptions of Tailspin Toys; "
                       "other linked accounts reach ts-dev, ts-test"));
  EXPECT_TRUE(Check(all, kLinkedRule).empty());
}

// pec.earn through a link needs that link's own account to reach the subscription; a denial
// names the other links whose account does, and the open answer agrees with every concrete one.
TEST(PecLinkedAccountTest, EarningNeedsTheLinksOwnAccess) {
  StateBuilder builder = PecState();
  builder.Add("partner_id_links", Link("L-1", "sp", "Tailspin Toys",
                                       {Onboarded("ts-prod"), Onboarded("ts-dev", false)}));
  builder.Add("partner_id_links", Link("L-2", "alice", "Tailspin Toys", {Onboarded("TS-DEV")}));
  builder.Add("partner_id_links", Link("L-3", "lena", "Tailspin Toys", {Onboarded("ts-dev")}));
  PartnerState state = builder.Build();
  std::optional<RuleDecision> said = SaidOf(
      Decide(state, "pec.earn", "", {{"link", "L-1"}, {"subscription", "ts-dev"}}), kLinkedRule);
  ASSERT_TRUE(said.has_value());
  EXPECT_EQ(said->verdict, Verdict::kDeny);
  EXPECT_EQ(said->message,
            "subscription ts-dev of Tailspin Toys earns no PEC through link L-1: linked account "
            "automation@northwind.de has no access to it");
  // L-2 (managing tenant, any case of the id) reaches it; L-3's account is outside it.
  EXPECT_TRUE(Contains(said->remedy, "; or ask about link L-2, whose account has access"));
  EXPECT_TRUE(Lacks(said->remedy, "L-3"));
  const int open = VerdictOf(Decide(state, "pec.earn", "", {{"link", "L-1"}}), kLinkedRule);
  EXPECT_EQ(open, static_cast<int>(Verdict::kCondition));
  for (const char* subscription : {"ts-prod", "TS-PROD"}) {
    EXPECT_EQ(
        VerdictOf(Decide(state, "pec.earn", "", {{"link", "L-1"}, {"subscription", subscription}}),
                  kLinkedRule),
        static_cast<int>(Verdict::kAllow))
        << subscription;
  }
  EXPECT_EQ(VerdictOf(Decide(state, "pec.earn", "", {{"link", "L-1"}, {"subscription", "other"}}),
                      kLinkedRule),
            static_cast<int>(Verdict::kDeny));
  // A link that does not count earns nothing, whatever the subscription.
  EXPECT_EQ(VerdictOf(Decide(state, "pec.earn", "", {{"link", "L-3"}}), kLinkedRule),
            static_cast<int>(Verdict::kDeny));
}

// The Associated Partner ID on the profile is the one to link, when the state records it.
TEST(PecLinkedAccountTest, AssociatedPartnerIdOfTheProfile) {
  StateBuilder builder = PecState();
  builder.Partner()["associated_partner_id"] = "7000042";
  builder.Add("partner_id_links",
              Link("L-1", "sp", "Fabrikam", {Onboarded("fab-prod")}, true, true, "7000042"));
  builder.Add("partner_id_links", Link("L-2", "sp", "Wingtip Toys", {Onboarded("wt-prod")}));
  PartnerState state = builder.Build();
  EXPECT_EQ(VerdictOf(Decide(state, "partner-id.link", "", {{"link", "L-1"}}), kLinkedRule),
            static_cast<int>(Verdict::kAllow));
  std::optional<RuleDecision> said =
      SaidOf(Decide(state, "partner-id.link", "", {{"link", "L-2"}}), kLinkedRule);
  ASSERT_TRUE(said.has_value());
  EXPECT_EQ(said->verdict, Verdict::kDeny);
  EXPECT_EQ(said->message,
            "link L-2 uses the partner's id 7000001, not the Associated Partner ID 7000042 shown "
            "on the partner profile of Northwind Traders, so the link brings no recognition");
  EXPECT_EQ(said->remedy,
            "link automation@northwind.de to the Associated Partner ID 7000042 shown on the "
            "partner profile");
  std::vector<Finding> found = Check(state, kLinkedRule);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "L-2");
}

TEST(PecLinkedAccountTest, RuleFixtures) {
  StateLoader loader = Loader();
  PartnerState fail =
      Must(loader.Load(SourceDir() / "fixtures/rules/pec.linked-account/fail.json"));
  PartnerState pass =
      Must(loader.Load(SourceDir() / "fixtures/rules/pec.linked-account/pass.json"));
  std::vector<Finding> found = Check(fail, kLinkedRule);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].entity_id, "L-2");
  EXPECT_EQ(found[1].entity_id, "L-3");
  EXPECT_TRUE(Check(pass, kLinkedRule).empty());
}

// pec.permanent-eligible-role

StateBuilder RoleState() {
  StateBuilder builder = PecState();
  builder.Add("partner_id_links",
              Link("L-1", "sp", "Fabrikam",
                   {Onboarded("fab-prod"), Onboarded("fab-dev", true, true, "eligible"),
                    Onboarded("fab-test", true, false, "permanent", "Reader"),
                    Onboarded("fab-lab", true, false, "eligible", "Reader"), Onboarded("Fab-QA")}));
  builder.Add("partner_id_links",
              Link("L-2", "sp", "Wingtip Toys", {Onboarded("wt-prod", true, true, "eligible")}));
  return builder;
}

TEST(PecRoleTest, PermanentEligibleRoleEarnsPec) {
  PartnerState state = RoleState().Build();
  Decision decision =
      Decide(state, "pec.earn", "", {{"link", "L-1"}, {"subscription", "fab-prod"}});
  EXPECT_TRUE(decision.allowed);
  std::optional<RuleDecision> said = SaidOf(decision, kRoleRule);
  ASSERT_TRUE(said.has_value());
  EXPECT_EQ(said->verdict, Verdict::kAllow);
  EXPECT_EQ(
      said->message,
      "automation@northwind.de holds Contributor on fab-prod, a PEC-eligible built-in role as "
      "a permanent assignment");
  // Subscription ids match case-insensitively.
  EXPECT_EQ(VerdictOf(Decide(state, "pec.earn", "", {{"link", "L-1"}, {"subscription", "fab-qa"}}),
                      kRoleRule),
            static_cast<int>(Verdict::kAllow));
}

TEST(PecRoleTest, JustInTimeOrIneligibleRoleIsDenied) {
  PartnerState state = RoleState().Build();
  std::optional<RuleDecision> jit = SaidOf(
      Decide(state, "pec.earn", "", {{"link", "L-1"}, {"subscription", "fab-dev"}}), kRoleRule);
  ASSERT_TRUE(jit.has_value());
  EXPECT_EQ(jit->verdict, Verdict::kDeny);
  // The linked account is a service principal, which cannot hold such an authorization at all.
  EXPECT_EQ(jit->message,
            "subscription fab-dev of Fabrikam earns no PEC: the role is a just-in-time eligible "
            "authorization, not a permanent assignment; a service principal cannot hold a "
            "just-in-time eligible authorization");
  EXPECT_TRUE(Contains(jit->remedy,
                       "grant automation@northwind.de, on fab-dev, an Azure built-in role that "
                       "Microsoft lists as eligible for PEC and Azure Lighthouse can delegate"));
  EXPECT_TRUE(Contains(jit->remedy, "as a permanent assignment"));
  std::optional<RuleDecision> reader = SaidOf(
      Decide(state, "pec.earn", "", {{"link", "L-1"}, {"subscription", "fab-test"}}), kRoleRule);
  ASSERT_TRUE(reader.has_value());
  EXPECT_EQ(reader->message,
            "subscription fab-test of Fabrikam earns no PEC: its role Reader "
            "(acdd72a7-3385-48ef-bd42-f606fba81ae7) is not eligible for PEC (Microsoft's list of "
            "PEC roles says No)");
  std::optional<RuleDecision> both = SaidOf(
      Decide(state, "pec.earn", "", {{"link", "L-1"}, {"subscription", "fab-lab"}}), kRoleRule);
  ASSERT_TRUE(both.has_value());
  EXPECT_TRUE(Contains(both->message,
                       "(Microsoft's list of PEC roles says No); the role is a just-in-time "
                       "eligible authorization"));
  std::optional<RuleDecision> unknown = SaidOf(
      Decide(state, "pec.earn", "", {{"link", "L-1"}, {"subscription", "wt-prod"}}), kRoleRule);
  ASSERT_TRUE(unknown.has_value());
  EXPECT_EQ(unknown->verdict, Verdict::kDeny);
  EXPECT_EQ(unknown->message,
            "subscription wt-prod is not onboarded under link L-1 (Fabrikam), so it earns no PEC");
  EXPECT_TRUE(Contains(unknown->remedy,
                       "or ask about a subscription that already qualifies (fab-prod, Fab-QA)"));
}

TEST(PecRoleTest, OpenSubscriptionListsTheQualifyingOnes) {
  PartnerState state = RoleState().Build();
  std::optional<RuleDecision> said =
      SaidOf(Decide(state, "pec.earn", "", {{"link", "L-1"}}), kRoleRule);
  ASSERT_TRUE(said.has_value());
  EXPECT_EQ(said->verdict, Verdict::kCondition);
  EXPECT_EQ(said->message,
            "the subscription must be one onboarded under link L-1 where automation@northwind.de "
            "holds a PEC-eligible built-in role as a permanent assignment: fab-prod, Fab-QA");
  std::optional<RuleDecision> none =
      SaidOf(Decide(state, "pec.earn", "", {{"link", "L-2"}}), kRoleRule);
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(none->verdict, Verdict::kDeny);
}

TEST(PecRoleTest, OpenAnswerAgreesWithEveryConcreteSubscription) {
  PartnerState state = RoleState().Build();
  for (const char* link : {"L-1", "L-2"}) {
    SCOPED_TRACE(link);
    const int open = VerdictOf(Decide(state, "pec.earn", "", {{"link", link}}), kRoleRule);
    int allowed = 0, denied = 0;
    for (const char* subscription :
         {"fab-prod", "fab-dev", "fab-test", "fab-lab", "Fab-QA", "wt-prod", "other"}) {
      const int verdict =
          VerdictOf(Decide(state, "pec.earn", "", {{"link", link}, {"subscription", subscription}}),
                    kRoleRule);
      ASSERT_NE(verdict, static_cast<int>(Verdict::kCondition));
      (verdict == static_cast<int>(Verdict::kDeny) ? denied : allowed)++;
    }
    if (allowed == 0) {
      EXPECT_EQ(open, static_cast<int>(Verdict::kDeny));
    } else {
      EXPECT_GT(denied, 0);  // an id that is not onboarded is always denied
      EXPECT_EQ(open, static_cast<int>(Verdict::kCondition));
    }
  }
}

TEST(PecRoleTest, CheckReportsEachFailingSubscription) {
  std::vector<Finding> found = Check(RoleState().Build(), kRoleRule);
  ASSERT_EQ(found.size(), 4u);  // fab-dev, fab-test, fab-lab, wt-prod
  EXPECT_EQ(found[0].severity, Severity::kError);
  EXPECT_EQ(found[0].entity_id, "L-1");
  EXPECT_EQ(found[0].message,
            "subscription fab-dev of Fabrikam (link L-1) earns no PEC: the role is a just-in-time "
            "eligible authorization, not a permanent assignment; a service principal cannot "
            "hold a just-in-time eligible authorization");
  EXPECT_EQ(found[3].entity_id, "L-2");
  StateLoader loader = Loader();
  EXPECT_EQ(
      Check(Must(loader.Load(SourceDir() / "fixtures/rules/pec.permanent-eligible-role/fail.json")),
            kRoleRule)
          .size(),
      3u);
  EXPECT_TRUE(
      Check(Must(loader.Load(SourceDir() / "fixtures/rules/pec.permanent-eligible-role/pass.json")),
            kRoleRule)
          .empty());
}

// pec.customer-scope

TEST(PecCustomerScopeTest, OnlyMcaCustomersOnTheAzurePlan) {
  struct Scope {
    bool mca, plan;
    const char* lacks;  // nullptr: in scope
  };
  const Scope scopes[] = {
      {true, true, nullptr},
      {false, true, "has not signed the Microsoft Customer Agreement"},
      {true, false, "is not on the Azure plan"},
      {false, false,
       "has not signed the Microsoft Customer Agreement and is not on the Azure plan"},
  };
  for (const Scope& s : scopes) {
    SCOPED_TRACE(s.lacks ? s.lacks : "in scope");
    StateBuilder builder = PecState();
    builder.Add("partner_id_links",
                Link("L-1", "sp", "Fabrikam", {Onboarded("fab-prod")}, s.mca, s.plan));
    PartnerState state = builder.Build();
    for (bool open : {false, true}) {
      Arguments arguments = {{"link", "L-1"}};
      if (!open) arguments.emplace_back("subscription", "fab-prod");
      Decision decision = Decide(state, "pec.earn", "", arguments);
      std::optional<RuleDecision> said = SaidOf(decision, kScopeRule);
      ASSERT_TRUE(said.has_value());
      if (s.lacks == nullptr) {
        EXPECT_EQ(said->verdict, Verdict::kAllow);
        EXPECT_EQ(
            said->message,
            "customer Fabrikam signed the Microsoft Customer Agreement and is on the Azure plan");
      } else {
        EXPECT_FALSE(decision.allowed);
        EXPECT_EQ(said->verdict, Verdict::kDeny);
        EXPECT_EQ(said->message, std::string("customer Fabrikam ") + s.lacks +
                                     "; PEC applies only to CSP customers who signed the MCA and "
                                     "are on the Azure plan");
      }
    }
    std::vector<Finding> found = Check(state, kScopeRule);
    ASSERT_EQ(found.size(), s.lacks == nullptr ? 0u : 1u);
    if (!found.empty()) {
      EXPECT_EQ(found[0].severity, Severity::kWarning);
      EXPECT_EQ(found[0].entity_id, "L-1");
      EXPECT_TRUE(
          Contains(found[0].message, "so none of its subscriptions earns partner earned credit"));
    }
  }
}

TEST(PecCustomerScopeTest, RemedyNamesEachStep) {
  StateBuilder builder = PecState();
  builder.Add("partner_id_links",
              Link("L-1", "sp", "Fabrikam", {Onboarded("fab-prod")}, false, false));
  std::optional<RuleDecision> said =
      SaidOf(Decide(builder.Build(), "pec.earn", "", {{"link", "L-1"}}), kScopeRule);
  ASSERT_TRUE(said.has_value());
  EXPECT_EQ(said->remedy,
            "Fabrikam signs the Microsoft Customer Agreement; and the CSP partner moves Fabrikam's "
            "Azure subscriptions to the Azure plan");
}

}  // namespace
}  // namespace partnerpolicy
