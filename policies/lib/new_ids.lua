-- policies/lib/new_ids.lua: ids for what an action creates (a user added by e-mail, the Azure
-- subscription a credit's redemption creates, ...). Effects (policies/effects/) read it as
-- lib.new_ids. An id depends only on the state and the request, so a plan gives the same ids
-- on every run.

local new_ids = {}

-- `base` when no element of `list` (an array of the state, or a Lua array of tables with ids)
-- has that id, else the first of "base-2", "base-3", ... that none has.
function new_ids.free(list, base)
  local taken = {}
  for _, item in ipairs(list) do
    taken[item.id] = true
  end
  if not taken[base] then
    return base
  end
  local n = 1
  repeat n = n + 1 until not taken[("%s-%d"):format(base, n)]
  return ("%s-%d"):format(base, n)
end

-- The id of a user added by e-mail: the address before its last "@", lower case, with every
-- character but letters, digits, ".", "_" and "-" as "-" ("Jane.Doe@contoso.com" -> "jane.doe"),
-- made free among the users.
function new_ids.user(state, email)
  local at = #email
  while at > 0 and email:sub(at, at) ~= "@" do
    at = at - 1
  end
  local name = pp.lower(email:sub(1, at - 1)):gsub("[^a-z0-9._-]", "-")
  return new_ids.free(state.users, name)
end

-- A product key string no subscription's key_redemptions and no benefit's product_keys hold:
-- "KEY-1", "KEY-2", ... For keys an action redeems that the state does not list (an extension
-- with a key from outside the partner's benefits).
function new_ids.key(state)
  local used = {}
  for _, sub in ipairs(state.subscriptions) do
    for _, r in ipairs(sub.key_redemptions or {}) do
      used[r.key] = true
    end
  end
  for _, benefit in ipairs(state.cloud_benefits) do
    for _, k in ipairs(benefit.product_keys or {}) do
      used[k.key] = true
    end
  end
  local n = 0
  repeat n = n + 1 until not used[("KEY-%d"):format(n)]
  return ("KEY-%d"):format(n)
end

return new_ids
