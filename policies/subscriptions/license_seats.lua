-- policies/subscriptions/license_seats.lua
--
-- A cloud subscription holds a number of licenses (active_licenses), and each user it serves
-- holds one of them: a license is assigned only while one is free, and never twice to the same
-- user (a second one would use up a seat and serve nobody).
--
-- How many are free counts assigned_licenses, or the recorded holders (assigned_users) when the
-- state lists more of them, so no decision rests on the smaller of two counts.

-- Licenses of `sub` in use.
local function in_use(sub)
  local held = sub.assigned_users ~= nil and #sub.assigned_users or 0
  return math.max(sub.assigned_licenses, held)
end

local function licenses(n)
  return lib.text.count(n, "license")
end

-- Where more licenses come from: a new key for product-key subscriptions, a purchase otherwise.
local function more_licenses(sub)
  if sub.model == "product_key" then
    return ("add licenses to %s with a new product key (subscription.add-licenses)"):format(sub.id)
  end
  return ("buy a paid subscription of %s (a modernized benefit's licenses are what the membership grants)"):format(
    sub.product)
end

-- "15 of the 25 licenses of subscription S-1 are free".
local function free_text(sub, free)
  return ("%d of the %s of subscription %s %s free"):format(
    free, licenses(sub.active_licenses), sub.id, free == 1 and "is" or "are")
end

-- "alice@contoso.com, bob@contoso.com" of the recorded holders.
local function holder_labels(sub)
  local labels = {}
  for _, user_id in ipairs(sub.assigned_users) do
    labels[#labels + 1] = pp.user_label(user_id)
  end
  return table.concat(labels, ", ")
end

---@type Rule
return {
  id = "subscriptions.license-seats",
  title = "A license is assigned only while one is free, and once per user",
  severity = "error",
  source = { seed = "002_013589e162925edb.txt", section = "View your cloud benefits" },
  description = "A cloud subscription carries a number of licenses (active_licenses; seed 002, 'View your "
    .. "cloud benefits': the license quantity of each product; 'How do I redeem my cloud benefits now?': "
    .. "the licenses appear in the admin center to be assigned to users), and each user holds one. decide "
    .. "license.assign: denied, whatever the user, when every license is in use (assigned_licenses, or the "
    .. "users in assigned_users when it lists more, reaches active_licenses; remedy: unassign one, or add "
    .. "licenses with a new key on a product-key subscription, or buy a paid subscription); denied for a "
    .. "user who already holds one (in assigned_users); otherwise allowed with licenses_free_after; "
    .. "without a user, the condition that it be none of the holders (allowed when none is recorded, "
    .. "denied when every user holds one). More licenses in use than active "
    .. "cannot load: the host refuses such a state (docs/state-format.md, consistency checks). So decide "
    .. "subscription.reactivate too (its key sets active_licenses): the key must carry at least as many "
    .. "licenses as are still assigned, denied below that (remedy: unassign some first, or a larger key); "
    .. "with the key size open, a condition naming that number; no say when none is assigned.",
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
      local sub = req.subscription
      local held = in_use(sub)
      if held == 0 then
        return nil -- nothing assigned: any key leaves every license free
      end
      local key = req.key_licenses
      if key == nil then
        return pp.condition(
          ("the product key must carry at least %s: %d of %s's licenses are still assigned"):format(
            licenses(held), held, sub.id),
          { licenses_in_use = held })
      end
      if key < held then
        return pp.deny(
          ("a key of %s would leave %s with fewer licenses than the %d still assigned"):format(
            licenses(key), sub.id, held),
          ("unassign %d of the licenses of %s first, or reactivate it with a key of at least %s"):format(
            held - key, sub.id, licenses(held)))
      end
      return pp.allow(
        ("a key of %s covers the %d licenses of %s still assigned; %d left free"):format(
          licenses(key), held, sub.id, key - held),
        { licenses_free_after = key - held })
    end,

    ["license.assign"] = function(req, state, ctx)
      local sub = req.subscription
      local user = req.user
      local free = sub.active_licenses - in_use(sub)
      if free <= 0 then
        return pp.deny(
          ("all %s of subscription %s are in use (%d assigned), so none is free to assign"):format(
            licenses(sub.active_licenses), sub.id, in_use(sub)),
          ("unassign a license of %s from a user who no longer needs it, or %s"):format(sub.id, more_licenses(sub)))
      end
      local holders = sub.assigned_users ~= nil and #sub.assigned_users or 0
      if user == nil then
        if holders == 0 then
          return pp.allow(
            ("%s, and no holder is recorded"):format(free_text(sub, free)),
            { licenses_free_after = free - 1 })
        end
        local others = 0
        for _, u in ipairs(state.users) do
          if not pp.contains(sub.assigned_users, u.id) then
            others = others + 1
          end
        end
        if others == 0 then
          return pp.deny(
            ("every user already holds a license of subscription %s"):format(sub.id),
            ("add the user who needs a license of %s to the tenant first"):format(sub.id))
        end
        return pp.condition(
          ("the user must not already hold a license of subscription %s (held by %s); %s free"):format(
            sub.id, holder_labels(sub), licenses(free)),
          { licenses_free = free })
      end
      if holders > 0 and pp.contains(sub.assigned_users, user.id) then
        return pp.deny(
          ("%s already holds a license of subscription %s; a second one would take a seat and serve nobody"):format(
            user.email, sub.id),
          ("nothing to assign: %s already has %s; assign the license to a user who has none"):format(
            user.email, sub.product))
      end
      return pp.allow(
        ("%s; %d left after this one"):format(free_text(sub, free), free - 1),
        { licenses_free_after = free - 1 })
    end,
  },
}
