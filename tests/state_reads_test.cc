// The value-flow analysis behind lint's unknown-state-field: which reads it traces to an object
// kind of the partner state, through which constructs, and where it stops knowing.
#include "lua/state_reads.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace partnerpolicy {
namespace {

using testing::Must;

const StateShape& Shape() {
  static const StateShape* shape = new StateShape(Must(ReadStateShape(testing::SchemaPath())));
  return *shape;
}

// decide's req as the bundled actions.toml makes it, in short.
RequestShape Request() {
  RequestShape request;
  request.actor = Shape().ElementOf("users");
  request.fields = {RequestField{"credit", Shape().ElementOf("credits"), false, false},
                    RequestField{"user", Shape().ElementOf("users"), false, true},
                    RequestField{"credits", Shape().ElementOf("credits"), true, false}};
  return request;
}

// Each read as "line local.key @path", with "*" after the path when it may be a new entity.
std::vector<std::string> Reads(const std::string& text) {
  ChunkFunction chunk = Must(ListChunk(PolicyText{"policies/flow.lua", text}));
  std::vector<std::string> out;
  for (const StateFieldRead& read : StateFieldReads(chunk, Shape(), Request())) {
    out.push_back(std::to_string(read.line) + " " + read.local + "." + read.key + " @" +
                  Shape().objects[read.object].path + (read.may_be_new ? "*" : ""));
  }
  return out;
}

using Lines = std::vector<std::string>;

TEST(StateReadsTest, FieldsListsLoopsAndLookupsFromTheStateParameter) {
  EXPECT_EQ(Reads("local function f(state, id)\n"                     // 1
                  "  for _, credit in ipairs(state.credits) do\n"     // 2
                  "    local first = credit.assignments[1]\n"         // 3
                  "    local who = first.user .. credit.knd\n"        // 4
                  "  end\n"                                           // 5
                  "  local ends = state.partner.membership['end']\n"  // 6
                  "  local user = pp.find(state.users, id)\n"         // 7
                  "  for k, v in pairs(state.tenants) do\n"           // 8
                  "    local d = v.domain\n"                          // 9
                  "  end\n"                                           // 10
                  "  return user.email, other.kind\n"                 // 11
                  "end\n"
                  "return f\n"),
            (Lines{
                "2 state.credits @the partner state",
                "3 credit.assignments @credits[]",
                "4 first.user @credits[].assignments[]",
                "4 credit.knd @credits[]",
                "6 state.partner @the partner state",
                "6 .membership @partner",
                "6 .end @partner.membership",
                "7 state.users @the partner state",
                "8 state.tenants @the partner state",
                "9 v.domain @tenants[]",
                "11 user.email @users[]",
            }));
}

TEST(StateReadsTest, FindAllGivesElementsOfTheListItSearches) {
  EXPECT_EQ(Reads("local function f(state, sub)\n"                                         // 1
                  "  for _, c in ipairs(pp.find_all(state.credits, 'package', sub)) do\n"  // 2
                  "    local p = c.pakage\n"                                               // 3
                  "  end\n"                                                                // 4
                  "end\n"
                  "return f\n"),
            (Lines{
                "2 state.credits @the partner state",
                "3 c.pakage @credits[]",
            }));
}

TEST(StateReadsTest, RequestsAndUpvalues) {
  EXPECT_EQ(Reads("return { decide = { x = function(req, state, ctx)\n"     // 1
                  "  local n = req.user.is_new and req.actor.email\n"       // 2
                  "  for _, c in ipairs(req.credits) do n = c.kind end\n"   // 3
                  "  local g = function() return state.partner.name end\n"  // 4
                  "  return req.credit.status, ctx.params.x, req.action\n"  // 5
                  "end } }\n"),
            (Lines{
                "2 .is_new @users[]*",
                "2 .email @users[]",
                "3 c.kind @credits[]",
                "5 .status @credits[]",
                "4 state.partner @the partner state",
                "4 .name @partner",
            }));
}

// Where two paths bring different things, the analysis knows nothing, and says nothing.
TEST(StateReadsTest, PathsThatDisagreeAreUnknown) {
  EXPECT_EQ(Reads("local function f(state, flag)\n"                                   // 1
                  "  local t\n"                                                       // 2
                  "  if flag then t = state.partner else t = state.credits[1] end\n"  // 3
                  "  local either = flag and state.partner or state.credits\n"        // 4
                  "  return t.kind, either.name\n"                                    // 5
                  "end\n"
                  "local function g(s) return s.knd end\n"  // another name: not the state
                  "return f, g\n"),
            (Lines{
                "3 state.partner @the partner state",
                "3 state.credits @the partner state",
                "4 state.partner @the partner state",
                "4 state.credits @the partner state",
            }));
}

TEST(StateReadsTest, AStateObjectReadInALoopKeepsItsKind) {
  EXPECT_EQ(Reads("local function f(state)\n"                          // 1
                  "  local partner = state.partner\n"                  // 2
                  "  for i = 1, 3 do\n"                                // 3
                  "    if partner.appeals_used > i then break end\n"   // 4
                  "  end\n"                                            // 5
                  "  while true do local n = partner.nme break end\n"  // 6
                  "end\n"
                  "return f\n"),
            (Lines{
                "2 state.partner @the partner state",
                "4 partner.appeals_used @partner",
                "6 partner.nme @partner",
            }));
}

}  // namespace
}  // namespace partnerpolicy
