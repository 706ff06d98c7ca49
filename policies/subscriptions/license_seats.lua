-- A second license for the same user would use up a seat and serve nobody.

-- Licenses of `sub` in use: the larger of its two counts, so no decision rests on the smaller.
local function in_use(sub)
  local held = sub.assigned_users ~= nil and #sub.assigned_users or 0
  return math.max(sub.assigned_licenses, held)
end

local function licenses(n)
  return lib.text.count(n, "license")
end

-- The words about `sub`, `free` of its licenses free: "15 of the 25 licenses of subscription
-- S-1 are free" (free) and where more licenses come from (more).
local function words(sub, free)
  local w = { sub = sub.id, product = sub.product, free = free, active = licenses(sub.active_licenses),
    are = free == 1 and "is" or "are", held = in_use(sub), held_licenses = licenses(in_use(sub)) }
  w.free = pp.say("free", w)
  -- A new key for product-key subscriptions, a purchase otherwise.
  w.more = sub.model == "product_key" and pp.say("add_key", w) or pp.say("buy_paid", w)
  return w
end

---@type Rule
return {
  id = "subscriptions.license-seats",
  severity = "error",
  source = { seed = "002_013589e162925edb.txt", section = "View your cloud benefits" },
  params = {},
  constrains = { "subscriptions.assigned_licenses", "subscriptions.assigned_users", "subscriptions.active_licenses" },
  no_say = {
    ["subscription.extend"] = "an extension keeps the licenses; a lapsed subscription, whose licenses a key resets, is reactivated (decided here), not extended (subscriptions.lapsed-reactivation)",
    ["benefit.redeem"] = "a redemption creates a subscription with no license assigned",
    ["subscription.add-licenses"] = "adding licenses only frees seats; it assigns none and takes none away",
  },

  decide = {
    -- A reactivation's key sets the number of licenses; the users who still hold one keep it, so
    -- the key must carry at least as many (more in use than active cannot be recorded).
    ["subscription.reactivate"] = function(req, state, ctx)
      local sub, key = req.subscription, req.key_licenses
      local w = words(sub, 0)
      if w.held == 0 then
        return nil -- nothing assigned: any key leaves every license free
      end
      if key == nil then
        return pp.condition(pp.say("key_at_least", w), { licenses_in_use = w.held })
      end
      w.key, w.excess, w.left = licenses(key), w.held - key, key - w.held
      if key < w.held then
        return pp.deny(pp.say("key_too_small", w), pp.say("unassign_first", w))
      end
      return pp.allow(pp.say("key_covers", w), { licenses_free_after = w.left })
    end,

    ["license.assign"] = function(req, state, ctx)
      local sub, user = req.subscription, req.user
      local free = sub.active_licenses - in_use(sub)
      local w = words(sub, free)
      if free <= 0 then
        return pp.deny(pp.say("all_in_use", w), pp.say("unassign_or_more", w))
      end
      local holders = sub.assigned_users or {}
      if user == nil then
        if #holders == 0 then
          return pp.allow(pp.say("no_holder", w), { licenses_free_after = free - 1 })
        end
        local others, labels = 0, {}
        for _, u in ipairs(state.users) do
          if not pp.contains(holders, u.id) then others = others + 1 end
        end
        if others == 0 then
          return pp.deny(pp.say("everyone_holds", w), pp.say("add_user", w))
        end
        for _, user_id in ipairs(holders) do labels[#labels + 1] = pp.user_label(user_id) end
        w.holders, w.free_licenses = table.concat(labels, ", "), licenses(free)
        return pp.condition(pp.say("not_a_holder", w), { licenses_free = free })
      end
      w.left = free - 1
      if #holders > 0 and pp.contains(holders, user.id) then
        w.user = user.email
        return pp.deny(pp.say("holds_already", w), pp.say("nothing_to_assign", w))
      end
      return pp.allow(pp.say("free_after", w), { licenses_free_after = free - 1 })
    end,
  },
}
