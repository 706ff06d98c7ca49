#include "partnerpolicy/trace.h"

#include <unordered_set>

namespace partnerpolicy {
namespace {

// The entity `node` belongs to: the node just below a top-level collection, or a top-level
// object. kNoNode for the root and for a top-level collection itself.
NodeId EntityOf(const Document& state, NodeId node) {
  NodeId below_root = node;
  NodeId below_that = kNoNode;
  while (below_root != state.root() && state.parent(below_root) != state.root()) {
    below_that = below_root;
    below_root = state.parent(below_root);
  }
  if (below_root == state.root()) return kNoNode;
  if (state.kind(below_root) != NodeKind::kArray) return below_root;
  return below_that;
}

std::string EntityName(const Document& state, NodeId entity) {
  NodeId parent = state.parent(entity);
  if (parent == state.root()) return std::string(state.key(entity));  // "partner"
  std::string name(state.key(parent));
  name += '/';
  std::string_view id =
      state.kind(entity) == NodeKind::kObject ? state.string_member(entity, "id") : "";
  if (id.empty()) {
    name += '#';  // no id: its 1-based position, which cannot be mistaken for an id
    name += std::to_string(state.index_in_parent(entity) + 1);
  } else {
    name += id;
  }
  return name;
}

}  // namespace

std::vector<std::string> EntitiesRead(const Document& state, const std::vector<NodeId>& nodes) {
  std::vector<std::string> names;
  std::unordered_set<NodeId> seen;
  for (NodeId node : nodes) {
    NodeId entity = EntityOf(state, node);
    if (entity == kNoNode || !seen.insert(entity).second) continue;
    names.push_back(EntityName(state, entity));
  }
  return names;
}

}  // namespace partnerpolicy
