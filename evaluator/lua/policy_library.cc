// The `pp` library: what policies call for dates, e-mail domains, entity lookups, credit history
// and decisions. Host helpers replace Lua patterns where a rule needs text handling, so no rule
// depends on the pattern matcher (which the instruction budget cannot interrupt).
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "email_address.h"
#include "lua_support.h"
#include "partnerpolicy/date.h"

namespace partnerpolicy::lua {
namespace {

// Pushes `text` for quoting in an error: as it is up to 80 bytes, else its first 60 bytes and
// its length, so a message never copies a megabyte argument. Returns the pushed string.
const char* Shortened(lua_State* L, const char* text, size_t length) {
  if (length <= 80) return lua_pushlstring(L, text, length);
  lua_pushlstring(L, text, 60);
  return lua_pushfstring(L, "%s... (%I bytes)", lua_tostring(L, -1),
                         static_cast<lua_Integer>(length));
}

// --- Dates: day numbers (integers), so comparison and subtraction are plain arithmetic. ---

lua_Integer CheckDay(lua_State* L, int arg) {
  lua_Integer day = luaL_checkinteger(L, arg);
  luaL_argcheck(L, day >= kFirstDay && day <= kLastDay, arg,
                "not a day number between 0001-01-01 and 9999-12-31");
  return day;
}

int PushDay(lua_State* L, int64_t day) {
  if (day < kFirstDay || day > kLastDay) {
    return luaL_error(L, "date arithmetic left the years 0001-9999");
  }
  lua_pushinteger(L, static_cast<lua_Integer>(day));
  return 1;
}

int DateFromText(lua_State* L) {
  size_t length = 0;
  const char* text = luaL_checklstring(L, 1, &length);
  std::optional<Date> date = ParseDate(std::string_view(text, length));
  if (!date) {
    return luaL_error(L, "pp.date: expected a date YYYY-MM-DD, got \"%s\"",
                      Shortened(L, text, length));
  }
  return PushDay(L, date->days);
}

int DateString(lua_State* L) {
  char buffer[11];
  FormatDateTo(Date{CheckDay(L, 1)}, buffer);
  lua_pushstring(L, buffer);
  return 1;
}

int AddMonthsL(lua_State* L) {
  lua_Integer day = CheckDay(L, 1);
  lua_Integer months = luaL_checkinteger(L, 2);
  luaL_argcheck(L, months >= -120000 && months <= 120000, 2, "too many months");
  return PushDay(L, AddMonths(Date{day}, months).days);
}

int AddBusinessDaysL(lua_State* L) {
  lua_Integer day = CheckDay(L, 1);
  lua_Integer n = luaL_checkinteger(L, 2);
  luaL_argcheck(L, n >= 0 && n <= 2000000, 2, "expected 0 to 2000000 business days");
  return PushDay(L, AddBusinessDays(Date{day}, n).days);
}

int BusinessDaysBetweenL(lua_State* L) {
  lua_Integer from = CheckDay(L, 1);
  lua_Integer to = CheckDay(L, 2);
  lua_pushinteger(L, BusinessDaysBetween(Date{from}, Date{to}));
  return 1;
}

int MonthEndL(lua_State* L) { return PushDay(L, MonthEnd(Date{CheckDay(L, 1)}).days); }

// --- Text ---

// Fills domain (up to capacity) or problem; C++ objects live only inside this helper.
bool DomainOf(std::string_view address, char* domain, size_t capacity, size_t* length,
              char* problem, size_t problem_capacity) {
  std::string why;
  std::optional<std::string> result = EmailDomain(address, &why);
  if (!result || result->size() >= capacity) {
    if (result) why = "has a domain longer than 255 characters";
    std::snprintf(problem, problem_capacity, "%s", why.c_str());
    return false;
  }
  std::memcpy(domain, result->data(), result->size());
  *length = result->size();
  return true;
}

int EmailDomainL(lua_State* L) {
  size_t length = 0;
  const char* address = luaL_checklstring(L, 1, &length);
  ChargeInstructions(L, length + 1);
  char domain[256];
  char problem[128];
  size_t domain_length = 0;
  if (!DomainOf(std::string_view(address, length), domain, sizeof domain, &domain_length, problem,
                sizeof problem)) {
    return luaL_error(L, "pp.email_domain: e-mail address \"%s\" %s", Shortened(L, address, length),
                      problem);
  }
  lua_pushlstring(L, domain, domain_length);
  return 1;
}

int Lower(lua_State* L) {
  size_t length = 0;
  const char* text = luaL_checklstring(L, 1, &length);
  luaL_Buffer buffer;
  char* out = luaL_buffinitsize(L, &buffer, length);
  for (size_t i = 0; i < length; ++i) {
    char c = text[i];
    out[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  luaL_pushresultsize(&buffer, length);
  return 1;
}

// --- State lookups ---

int Find(lua_State* L) {
  NodeId array = CheckStateNode(L, 1, "pp.find");
  size_t length = 0;
  const char* id = luaL_checklstring(L, 2, &length);
  const Document& doc = *Host(L)->state;
  if (doc.kind(array) != NodeKind::kArray) {
    return luaL_error(L, "pp.find: argument #1 must be an array of the partner state");
  }
  NodeId found = doc.find_by_id(array, std::string_view(id, length));
  if (found == kNoNode) {
    lua_pushnil(L);
  } else {
    PushStateValue(L, found);
  }
  return 1;
}

// pp.find_all(array, field, value): a fresh list of the elements whose `field` is `value` or a
// list holding it; `value` may be a list of values, and then an element holding any of them is
// listed once, in document order. Charged each value's answer + 1, and 2: the host's index
// answers without reading the rest of the array.
int FindAll(lua_State* L) {
  NodeId array = CheckStateNode(L, 1, "pp.find_all");
  size_t field_length = 0;
  const char* field = luaL_checklstring(L, 2, &field_length);
  if (lua_type(L, 3) != LUA_TSTRING && lua_type(L, 3) != LUA_TTABLE) {
    return luaL_typeerror(L, 3, "string or list of strings");
  }
  const Document& doc = *Host(L)->state;
  if (doc.kind(array) != NodeKind::kArray) {
    return luaL_error(L, "pp.find_all: argument #1 must be an array of the partner state");
  }
  // The values, read once into a plain list (index 4): not raw, since rule parameters
  // (ctx.params) are read-only proxies, and each charged as it comes, since a list whose __len
  // is huge and whose __index is a C function runs no VM instruction the count hook could stop.
  const lua_Integer values = lua_type(L, 3) == LUA_TSTRING ? 1 : luaL_len(L, 3);
  lua_settop(L, 3);  // extra arguments would take index 4
  lua_createtable(L, static_cast<int>(std::min<lua_Integer>(values, 64)), 0);
  std::string_view by(field, field_length);
  auto hits_of = [&](lua_Integer i) -> const std::vector<NodeId>& {
    lua_rawgeti(L, 4, i);
    size_t length = 0;
    const char* value = lua_tolstring(L, -1, &length);
    lua_pop(L, 1);  // the list at index 4 keeps the string alive
    return doc.find_all_by(array, by, std::string_view(value, length));
  };
  size_t total = 0;
  for (lua_Integer i = 1; i <= values; ++i) {
    if (lua_type(L, 3) == LUA_TSTRING) {
      lua_pushvalue(L, 3);
    } else if (lua_geti(L, 3, i) != LUA_TSTRING) {
      return luaL_error(L, "pp.find_all: value #%d of argument #3 must be a string, got %s",
                        static_cast<int>(i), luaL_typename(L, -1));
    }
    lua_rawseti(L, 4, i);
    size_t hits = hits_of(i).size();
    ChargeInstructions(L, hits + 1);
    total += hits;
  }
  ChargeInstructions(L, 2);
  // Everything here may raise (the budgets), which unwinds past C++ destructors: the answer is
  // gathered in memory Lua owns, a userdata.
  auto* found = static_cast<NodeId*>(lua_newuserdatauv(L, total * sizeof(NodeId) + 1, 0));
  size_t count = 0;
  for (lua_Integer i = 1; i <= values; ++i) {
    const std::vector<NodeId>& hits = hits_of(i);
    std::copy(hits.begin(), hits.end(), found + count);
    count += hits.size();
  }
  // Node ids grow in document order; an element holding two of the values comes once.
  std::sort(found, found + count);
  count = static_cast<size_t>(std::unique(found, found + count) - found);
  lua_createtable(L, static_cast<int>(std::min<size_t>(count, 1u << 20)), 0);
  for (size_t i = 0; i < count; ++i) {
    PushStateValue(L, found[i]);
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
  return 1;
}

int Contains(lua_State* L) {
  luaL_checkany(L, 2);
  if (lua_type(L, 1) == LUA_TTABLE) {
    lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, 1));
    ChargeInstructions(L, static_cast<uint64_t>(n) + 1);
    for (lua_Integer i = 1; i <= n; ++i) {
      lua_rawgeti(L, 1, i);
      bool same = lua_rawequal(L, -1, 2);
      lua_pop(L, 1);
      if (same) {
        lua_pushboolean(L, 1);
        return 1;
      }
    }
    lua_pushboolean(L, 0);
    return 1;
  }
  NodeId array = CheckStateNode(L, 1, "pp.contains");
  const Document& doc = *Host(L)->state;
  ChargeInstructions(L, static_cast<uint64_t>(doc.size(array)) + 1);
  for (uint32_t i = 0; i < doc.size(array); ++i) {
    PushStateValue(L, doc.child(array, i));
    bool same = lua_rawequal(L, -1, 2);
    lua_pop(L, 1);
    if (same) {
      lua_pushboolean(L, 1);
      return 1;
    }
  }
  lua_pushboolean(L, 0);
  return 1;
}

// Builds the pointer in a fixed buffer: no C++ string is alive when Lua may raise.
int Pointer(lua_State* L) {
  NodeId node = CheckStateNode(L, 1, "pp.pointer");
  const Document& doc = *Host(L)->state;
  luaL_Buffer buffer;
  luaL_buffinit(L, &buffer);
  NodeId path[128];
  int depth = 0;
  for (NodeId n = node; n != kNoNode && doc.parent(n) != kNoNode && depth < 128;
       n = doc.parent(n)) {
    path[depth++] = n;
  }
  for (int i = depth - 1; i >= 0; --i) {
    luaL_addchar(&buffer, '/');
    if (doc.kind(doc.parent(path[i])) == NodeKind::kArray) {
      lua_pushinteger(L, doc.index_in_parent(path[i]));
      luaL_addvalue(&buffer);
    } else {
      for (char c : doc.key(path[i])) {
        if (c == '~')
          luaL_addstring(&buffer, "~0");
        else if (c == '/')
          luaL_addstring(&buffer, "~1");
        else
          luaL_addchar(&buffer, c);
      }
    }
  }
  luaL_pushresult(&buffer);
  return 1;
}

// --- Credit history (see docs/state-format.md, credits[].assignments) ---

// Walks a credit's assignment events: the number of reassignments and the current user.
struct History {
  int64_t reassignments = 0;
  NodeId current_user = kNoNode;        // string node of the assigned user, or none
  NodeId last_assigned_user = kNoNode;  // user of the last "assigned" event, even if removed
};

History ReadHistory(const Document& doc, NodeId credit) {
  History history;
  NodeId events = doc.member(credit, "assignments");
  NodeId previous_user = kNoNode;
  for (uint32_t i = 0; i < doc.size(events); ++i) {
    NodeId event = doc.child(events, i);
    std::string_view kind = doc.string_member(event, "event");
    NodeId user = doc.member(event, "user");
    if (user == kNoNode || doc.kind(user) != NodeKind::kString) continue;
    if (kind == "assigned") {
      if (previous_user != kNoNode && doc.string(previous_user) != doc.string(user)) {
        ++history.reassignments;
      }
      previous_user = user;
      history.current_user = user;
      history.last_assigned_user = user;
    } else if (kind == "removed") {
      if (history.current_user != kNoNode && doc.string(history.current_user) == doc.string(user)) {
        history.current_user = kNoNode;
      }
    }
  }
  return history;
}

int Reassignments(lua_State* L) {
  NodeId credit = CheckStateNode(L, 1, "pp.reassignments");
  lua_pushinteger(L, ReadHistory(*Host(L)->state, credit).reassignments);
  return 1;
}

// Pushes a user id node from a credit's history, or nil.
int PushHistoryUser(lua_State* L, NodeId user) {
  if (user == kNoNode) {
    lua_pushnil(L);
  } else {
    PushStateValue(L, user);
  }
  return 1;
}

int AssignedUser(lua_State* L) {
  NodeId credit = CheckStateNode(L, 1, "pp.assigned_user");
  return PushHistoryUser(L, ReadHistory(*Host(L)->state, credit).current_user);
}

int LastAssignedUser(lua_State* L) {
  NodeId credit = CheckStateNode(L, 1, "pp.last_assigned_user");
  return PushHistoryUser(L, ReadHistory(*Host(L)->state, credit).last_assigned_user);
}

// How a user is named in messages: the e-mail of the user with that id, else the id itself.
int UserLabel(lua_State* L) {
  size_t length = 0;
  const char* id = luaL_checklstring(L, 1, &length);
  // The only helper that takes no state value: called while a policy loads (found by
  // fuzz_policy_load) there is no state yet.
  if (Host(L)->state == nullptr) {
    return luaL_error(L,
                      "pp.user_label: the partner state is only available inside check, "
                      "alerts and decide");
  }
  const Document& doc = *Host(L)->state;
  NodeId users = doc.member(doc.root(), "users");
  NodeId user = users == kNoNode ? kNoNode : doc.find_by_id(users, std::string_view(id, length));
  std::string_view email = user == kNoNode ? std::string_view{} : doc.string_member(user, "email");
  if (email.empty()) {
    lua_pushvalue(L, 1);
  } else {
    lua_pushlstring(L, email.data(), email.size());
  }
  return 1;
}

// --- Decisions ---

// pp.allow(message, facts?) and pp.condition(message, facts?): a verdict without a remedy.
int VerdictWithFacts(lua_State* L, const char* verdict) {
  lua_settop(L, 2);  // fixed slots: the result table goes to 3, never onto an absent argument
  luaL_checkstring(L, 1);
  if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TTABLE);
  lua_createtable(L, 0, 3);
  lua_pushstring(L, verdict);
  lua_setfield(L, -2, "verdict");
  lua_pushvalue(L, 1);
  lua_setfield(L, -2, "message");
  if (!lua_isnoneornil(L, 2)) {
    lua_pushvalue(L, 2);
    lua_setfield(L, -2, "facts");
  }
  return 1;
}

int Allow(lua_State* L) { return VerdictWithFacts(L, "allow"); }

// pp.condition: the action is allowed provided something the request left open (the target
// user, the number of licenses, the actor) meets the condition in `message`.
int Condition(lua_State* L) { return VerdictWithFacts(L, "condition"); }

int Deny(lua_State* L) {
  lua_settop(L, 3);
  luaL_checkstring(L, 1);
  luaL_argexpected(L, lua_type(L, 2) == LUA_TSTRING, 2,
                   "string (a denial must say what would allow the action)");
  if (!lua_isnoneornil(L, 3)) luaL_checktype(L, 3, LUA_TTABLE);
  lua_createtable(L, 0, 4);
  lua_pushliteral(L, "deny");
  lua_setfield(L, -2, "verdict");
  lua_pushvalue(L, 1);
  lua_setfield(L, -2, "message");
  lua_pushvalue(L, 2);
  lua_setfield(L, -2, "remedy");
  if (!lua_isnoneornil(L, 3)) {
    lua_pushvalue(L, 3);
    lua_setfield(L, -2, "facts");
  }
  return 1;
}

}  // namespace

void PushPolicyLibrary(lua_State* L) {
  const luaL_Reg functions[] = {
      {"allow", Allow},
      {"deny", Deny},
      {"condition", Condition},
      {"date", DateFromText},
      {"date_string", DateString},
      {"add_months", AddMonthsL},
      {"add_business_days", AddBusinessDaysL},
      {"business_days_between", BusinessDaysBetweenL},
      {"month_end", MonthEndL},
      {"email_domain", EmailDomainL},
      {"lower", Lower},
      {"find", Find},
      {"find_all", FindAll},
      {"contains", Contains},
      {"pointer", Pointer},
      {"reassignments", Reassignments},
      {"assigned_user", AssignedUser},
      {"last_assigned_user", LastAssignedUser},
      {"user_label", UserLabel},
      {nullptr, nullptr},
  };
  luaL_newlib(L, functions);
}

}  // namespace partnerpolicy::lua
