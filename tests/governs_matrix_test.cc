// Names of parts of the state, their overlap, and the matrix of actions and rules; and the
// bundled policies and actions against it (every name exists, what they declare is read).
#include "partnerpolicy/governs_matrix.h"

#include <gtest/gtest.h>

#include "rule_test_support.h"

namespace partnerpolicy {
namespace {

using namespace testing;  // NOLINT: test vocabulary
using Names = std::vector<std::string>;

const StateShape& Shape() {
  static const StateShape shape = Must(ReadStateShape(SchemaPath()));
  return shape;
}

TEST(GovernsMatrixTest, NamesAreOneOrTwoLowerCaseWords) {
  for (const char* good : {"users", "credits.status", "partner.membership", "credits.end"}) {
    EXPECT_EQ(StateFieldFormProblem(good), std::nullopt) << good;
  }
  for (const char* bad : {"", "Credits", "credits.", ".status", "credits.assignments.user",
                          "credits status", "1credits", "credits.Status"}) {
    EXPECT_NE(StateFieldFormProblem(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(StateFieldFormProblem("credits.assignments.user").value(),
            "'credits.assignments.user' is no part of the partner state: write "
            "<collection>.<field> (\"credits.status\", \"partner.membership\") or a whole "
            "collection (\"users\")");
}

TEST(GovernsMatrixTest, UnknownNamesGetTheClosestOne) {
  for (const char* known : {"users", "credits.status", "partner.membership", "partner",
                            "azure_subscriptions.credit", "billing_accounts.associated_tenants"}) {
    EXPECT_EQ(UnknownStateFieldProblem(known, Shape()), std::nullopt) << known;
  }
  EXPECT_EQ(UnknownStateFieldProblem("credits.stauts", Shape()).value(),
            "credits.stauts: the partner state's credits[] have no field 'stauts' (did you mean "
            "'status'?)");
  EXPECT_EQ(UnknownStateFieldProblem("partner.membershp", Shape()).value(),
            "partner.membershp: the partner state's partner has no field 'membershp' (did you "
            "mean 'membership'?)");
  EXPECT_EQ(UnknownStateFieldProblem("credtis.status", Shape()).value(),
            "credtis.status: the partner state has no collection 'credtis' (did you mean "
            "'credits'?)");
  // A plain value of the root is no collection.
  EXPECT_EQ(UnknownStateFieldProblem("as_of", Shape()).value(),
            "as_of: the partner state has no collection 'as_of'");
}

TEST(GovernsMatrixTest, SharedFieldsAreTheNarrowerName) {
  EXPECT_EQ(SharedFields({"credits.status", "users"}, {"credits.status"}), Names{"credits.status"});
  EXPECT_EQ(SharedFields({"users"}, {"users.email", "credits.status"}), Names{"users.email"});
  EXPECT_EQ(SharedFields({"credits.balance"}, {"credits"}), Names{"credits.balance"});
  EXPECT_EQ(SharedFields({"users"}, {"users"}), Names{"users"});
  EXPECT_EQ(SharedFields({"credits.balance", "credits.status"}, {"credits", "credits.status"}),
            (Names{"credits.balance", "credits.status"}));
  EXPECT_EQ(SharedFields({"credits.balance"}, {"credits.status", "users.email"}), Names{});
  EXPECT_EQ(SharedFields({}, {"credits"}), Names{});
  // The same word in two collections is no overlap.
  EXPECT_EQ(SharedFields({"subscriptions.status"}, {"credits.status"}), Names{});
}

ActionSpec Action(const std::string& name, Names touches) {
  ActionSpec spec;
  spec.name = name;
  spec.touches = std::move(touches);
  spec.declares_touches = true;
  return spec;
}

PolicyInfo Rule(const std::string& id, Names constrains, Names decides,
                std::vector<ActionReason> no_say = {}) {
  PolicyInfo info;
  info.id = id;
  info.constrains = std::move(constrains);
  info.declares_constrains = true;
  info.actions = std::move(decides);
  info.no_say = std::move(no_say);
  return info;
}

TEST(GovernsMatrixTest, EachRuleDecidesHasNoSayOrIsUnexplained) {
  ActionCatalog actions;
  actions.actions = {Action("credit.assign", {"credits.assignments", "users"}),
                     Action("credit.use", {"credits.balance"}), Action("pec.earn", {})};
  PolicyInfo cap = Rule("b.cap", {"credits.assignments"}, {"credit.assign"});
  PolicyInfo email =
      Rule("a.email", {"users.email"}, {},
           {{"credit.assign", "a user added by an assignment has a company e-mail"}});
  PolicyInfo balance = Rule("c.balance", {"credits.balance", "credits.assignments"}, {});
  PolicyInfo scope = Rule("d.scope", {"partner_id_links.customer_signed_mca"}, {"pec.earn"});
  GovernsMatrix matrix = BuildGovernsMatrix(actions, {&cap, &email, &balance, &scope});

  ASSERT_EQ(matrix.rows.size(), 3u);
  const GovernsRow& assign = matrix.rows[0];
  EXPECT_EQ(assign.action->name, "credit.assign");
  ASSERT_EQ(assign.cells.size(), 3u);  // by rule id; d.scope shares nothing and is left out
  EXPECT_EQ(assign.cells[0].rule, &email);
  EXPECT_EQ(assign.cells[0].say, Say::kNoSay);
  EXPECT_EQ(*assign.cells[0].reason, "a user added by an assignment has a company e-mail");
  EXPECT_EQ(assign.cells[0].shared, Names{"users.email"});
  EXPECT_EQ(assign.cells[1].rule, &cap);
  EXPECT_EQ(assign.cells[1].say, Say::kDecides);
  EXPECT_EQ(assign.cells[2].rule, &balance);
  EXPECT_EQ(assign.cells[2].say, Say::kUnexplained);
  EXPECT_EQ(assign.cells[2].shared, Names{"credits.assignments"});

  const GovernsRow& use = matrix.rows[1];
  ASSERT_EQ(use.cells.size(), 1u);
  EXPECT_EQ(use.cells[0].rule, &balance);
  EXPECT_EQ(use.cells[0].say, Say::kUnexplained);
  EXPECT_EQ(use.cells[0].shared, Names{"credits.balance"});

  // A rule deciding an action that touches nothing it constrains still decides it.
  const GovernsRow& earn = matrix.rows[2];
  ASSERT_EQ(earn.cells.size(), 1u);
  EXPECT_EQ(earn.cells[0].say, Say::kDecides);
  EXPECT_TRUE(earn.cells[0].shared.empty());

  EXPECT_EQ(matrix.unexplained(), 2u);
  EXPECT_STREQ(SayName(Say::kNoSay), "no say");
}

TEST(GovernsMatrixTest, DecidingWinsOverAReasonForNotDeciding) {
  ActionCatalog actions;
  actions.actions = {Action("credit.use", {"credits.balance"})};
  PolicyInfo both = Rule("a.both", {"credits.balance"}, {"credit.use"}, {{"credit.use", "why"}});
  GovernsMatrix matrix = BuildGovernsMatrix(actions, {&both});
  ASSERT_EQ(matrix.rows[0].cells.size(), 1u);
  EXPECT_EQ(matrix.rows[0].cells[0].say, Say::kDecides);
  EXPECT_EQ(matrix.rows[0].cells[0].reason, nullptr);
}

// What the bundled files declare is what loading reads, and every name is a part of the state.
TEST(GovernsMatrixTest, BundledRulesAndActionsDeclareKnownParts) {
  for (const PolicyInfo& info : Bundled().policies()) {
    EXPECT_TRUE(info.declares_constrains) << info.id;
    EXPECT_FALSE(info.constrains.empty()) << info.id;
    for (const std::string& name : info.constrains) {
      EXPECT_EQ(UnknownStateFieldProblem(name, Shape()), std::nullopt) << info.id;
    }
    for (const ActionReason& entry : info.no_say) {
      EXPECT_NE(Bundled().actions().Find(entry.action), nullptr) << info.id << " " << entry.action;
      EXPECT_FALSE(info.Governs(entry.action)) << info.id << " " << entry.action;
    }
  }
  for (const ActionSpec& action : Bundled().actions().actions) {
    EXPECT_TRUE(action.declares_touches) << action.name;
    ASSERT_EQ(action.touches.size(), action.touches_where.size());
    for (size_t i = 0; i < action.touches.size(); ++i) {
      EXPECT_EQ(UnknownStateFieldProblem(action.touches[i], Shape()), std::nullopt) << action.name;
      EXPECT_EQ(action.touches_where[i].file, (PolicyDir() / "actions.toml").string());
      EXPECT_GT(action.touches_where[i].line, 0);
    }
  }
  const PolicyInfo* window = Bundled().Find("credits.activation-window");
  ASSERT_NE(window, nullptr);
  EXPECT_EQ(window->constrains,
            (Names{"credits.activated_on", "credits.status", "credits.assignments"}));
  ASSERT_NE(window->NoSayReason("credit.reassign"), nullptr);
  EXPECT_EQ(*window->NoSayReason("credit.reassign"),
            "a reassignment changes the user of a credit assigned before; the window concerns the "
            "first assignment and activation");
}

TEST(GovernsMatrixTest, APatchPathNamesThePartOfTheStateItChanges) {
  EXPECT_EQ(StatePartChangedAt("/credits/2/assignments/-"), "credits.assignments");
  EXPECT_EQ(StatePartChangedAt("/credits/2/status"), "credits.status");
  EXPECT_EQ(StatePartChangedAt("/users/-"), "users");
  EXPECT_EQ(StatePartChangedAt("/users/3"), "users");
  EXPECT_EQ(StatePartChangedAt("/partner/membership/end"), "partner.membership");
  EXPECT_EQ(StatePartChangedAt("/cloud_benefits/4/product_keys/1/redeemed_on"),
            "cloud_benefits.product_keys");
  EXPECT_EQ(StatePartChangedAt(""), "");

  const std::vector<std::string> touches = {"credits.assignments", "users"};
  EXPECT_TRUE(TouchesCover(touches, "credits.assignments"));
  EXPECT_TRUE(TouchesCover(touches, "users"));
  EXPECT_TRUE(TouchesCover(touches, "users.roles"));  // the whole collection covers its fields
  EXPECT_FALSE(TouchesCover(touches, "credits.status"));
  EXPECT_FALSE(TouchesCover(touches, "credits"));  // one field does not cover adding credits
}

}  // namespace
}  // namespace partnerpolicy
