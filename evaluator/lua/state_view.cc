// The partner state as Lua sees it: userdata over Document nodes, read-only by construction.
//
// A userdata cannot be rawset, has no table to setmetatable on, and its metatable is hidden
// behind __metatable, so no policy can change what another policy sees. Nothing is copied: an
// access walks the Document, which is why a fixture reaches Lua once per evaluation.
#include "lua_support.h"

namespace partnerpolicy::lua {
namespace {

struct NodeRef {
  const Document* state;
  uint64_t generation;
  NodeId node;
};

NodeRef* CheckRef(lua_State* L, int arg) {
  auto* ref = static_cast<NodeRef*>(luaL_checkudata(L, arg, kStateNodeType));
  HostContext* host = Host(L);
  if (ref->state != host->state || ref->generation != host->generation) {
    luaL_error(L, "a partner state value was kept past the evaluation it belongs to");
  }
  return ref;
}

int Index(lua_State* L) {
  NodeRef* ref = CheckRef(L, 1);
  RecordRead(Host(L), ref->node);
  const Document& doc = *ref->state;
  NodeId found = kNoNode;
  if (doc.kind(ref->node) == NodeKind::kObject) {
    if (lua_type(L, 2) == LUA_TSTRING) {
      size_t length = 0;
      const char* name = lua_tolstring(L, 2, &length);
      found = doc.member(ref->node, std::string_view(name, length));
    }
  } else {
    int is_integer = 0;
    lua_Integer index = lua_tointegerx(L, 2, &is_integer);
    if (is_integer && index >= 1 && static_cast<uint64_t>(index) <= doc.size(ref->node)) {
      found = doc.child(ref->node, static_cast<uint32_t>(index - 1));
    }
  }
  if (found == kNoNode) {
    lua_pushnil(L);
  } else {
    PushStateValue(L, found);
  }
  return 1;
}

int NewIndex(lua_State* L) {
  CheckRef(L, 1);
  const char* key = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : luaL_typename(L, 2);
  return luaL_error(L, "the partner state is read-only: cannot set '%s'", key);
}

int Length(lua_State* L) {
  NodeRef* ref = CheckRef(L, 1);
  lua_pushinteger(L, static_cast<lua_Integer>(ref->state->size(ref->node)));
  return 1;
}

// Stateful iterator: upvalue 1 is the next 0-based position, so iteration is linear and in
// document order (never Lua's hash order).
int PairsStep(lua_State* L) {
  NodeRef* ref = CheckRef(L, 1);
  lua_Integer position = lua_tointeger(L, lua_upvalueindex(1));
  const Document& doc = *ref->state;
  if (position < 0 || static_cast<uint64_t>(position) >= doc.size(ref->node)) return 0;
  NodeId child = doc.child(ref->node, static_cast<uint32_t>(position));
  lua_pushinteger(L, position + 1);
  lua_replace(L, lua_upvalueindex(1));
  if (doc.kind(ref->node) == NodeKind::kObject) {
    std::string_view key = doc.key(child);
    lua_pushlstring(L, key.data(), key.size());
  } else {
    lua_pushinteger(L, position + 1);
  }
  PushStateValue(L, child);
  return 2;
}

int Pairs(lua_State* L) {
  CheckRef(L, 1);
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, PairsStep, 1);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}

int Equal(lua_State* L) {
  auto* a = static_cast<NodeRef*>(luaL_testudata(L, 1, kStateNodeType));
  auto* b = static_cast<NodeRef*>(luaL_testudata(L, 2, kStateNodeType));
  lua_pushboolean(L, a != nullptr && b != nullptr && a->state == b->state && a->node == b->node);
  return 1;
}

int ToString(lua_State* L) {
  NodeRef* ref = CheckRef(L, 1);
  const Document& doc = *ref->state;
  std::string_view id = doc.string_member(ref->node, "id");
  // No addresses: output must be the same in every process.
  if (!id.empty()) {
    lua_pushliteral(L, "entity ");
    lua_pushlstring(L, id.data(), id.size());
    lua_concat(L, 2);
  } else {
    lua_pushstring(L, NodeKindName(doc.kind(ref->node)));
  }
  return 1;
}

}  // namespace

void RegisterStateView(lua_State* L) {
  luaL_newmetatable(L, kStateNodeType);
  const luaL_Reg methods[] = {
      {"__index", Index}, {"__newindex", NewIndex}, {"__len", Length}, {"__pairs", Pairs},
      {"__eq", Equal},    {"__tostring", ToString}, {nullptr, nullptr}};
  luaL_setfuncs(L, methods, 0);
  lua_pushliteral(L, "read-only partner state");
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 1);
}

void PushStateValue(lua_State* L, NodeId node) {
  HostContext* host = Host(L);
  const Document& doc = *host->state;
  switch (doc.kind(node)) {
    case NodeKind::kNull:
      lua_pushnil(L);
      return;
    case NodeKind::kBool:
      lua_pushboolean(L, doc.boolean(node));
      return;
    case NodeKind::kInteger:
      lua_pushinteger(L, doc.integer(node));
      return;
    case NodeKind::kFloat:
      lua_pushnumber(L, doc.number(node));
      return;
    case NodeKind::kString: {
      std::string_view s = doc.string(node);
      lua_pushlstring(L, s.data(), s.size());
      return;
    }
    case NodeKind::kArray:
    case NodeKind::kObject: {
      auto* ref = static_cast<NodeRef*>(lua_newuserdatauv(L, sizeof(NodeRef), 0));
      ref->state = host->state;
      ref->generation = host->generation;
      ref->node = node;
      luaL_setmetatable(L, kStateNodeType);
      return;
    }
  }
}

NodeId CheckStateNode(lua_State* L, int arg, const char* function_name) {
  if (luaL_testudata(L, arg, kStateNodeType) == nullptr) {
    luaL_error(L, "%s: argument #%d must be a value from the partner state, got %s", function_name,
               arg, luaL_typename(L, arg));
  }
  NodeId node = CheckRef(L, arg)->node;
  RecordRead(Host(L), node);
  return node;
}

NodeId ToStateNode(lua_State* L, int index) {
  auto* ref = static_cast<NodeRef*>(luaL_testudata(L, index, kStateNodeType));
  if (ref == nullptr) return kNoNode;
  HostContext* host = Host(L);
  if (ref->state != host->state || ref->generation != host->generation) return kNoNode;
  return ref->node;
}

}  // namespace partnerpolicy::lua
