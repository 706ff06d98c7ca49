-- policies/effects/account.lua: what the partner account actions change in the partner state
-- (seed 003, and seed 001 on what a renewal awards). Each function returns a list of JSON Patch
-- operations; see policies/effects/credits.lua.

-- The membership year that starts on `start` (a day) and runs to the day before the same date a
-- year later. Modernized cloud subscriptions end with the membership whenever they were redeemed
-- (seed 002, "Benefits Expiry"), so each follows the new end, and an expired one runs again ("To
-- continue using the product after expiry, renew your membership").
local function membership_year(state, start, ctx)
  local membership = state.partner.membership
  local ends = pp.date_string(pp.add_months(start, 12) - 1)
  local ops = {
    { op = "replace", path = pp.pointer(membership) .. "/purchased_on", value = pp.date_string(ctx.as_of) },
    { op = "replace", path = pp.pointer(membership) .. "/start", value = pp.date_string(start) },
    { op = "replace", path = pp.pointer(membership) .. "/end", value = ends },
  }
  for _, sub in ipairs(state.subscriptions) do
    if sub.model == "modernized" then
      ops[#ops + 1] = { op = "replace", path = pp.pointer(sub) .. "/end", value = ends }
      if sub.status == "expired" then
        ops[#ops + 1] = { op = "replace", path = pp.pointer(sub) .. "/status", value = "active" }
      end
    end
  end
  return ops
end

-- A purchase or renewal awards a new set of benefits (seed 001: "after you renew your membership
-- and you're awarded a new set of benefits"): a benefit package of the membership's offer,
-- bought today. What it holds (credits, cloud benefits) Partner Center shows once provisioned;
-- the state records it then, as the amounts are not known before.
local function award_package(state, membership, start, ops, ctx)
  ops[#ops + 1] = {
    op = "add",
    path = "/benefit_packages/-",
    value = {
      id = lib.new_ids.free(state.benefit_packages, "PKG-" .. pp.date_string(start)),
      name = membership.offer,
      membership_offer = membership.offer,
      purchased_on = pp.date_string(ctx.as_of),
    },
  }
  return ops
end

---@type Effects
return {
  -- A purchase starts a membership year today.
  ["membership.purchase"] = function(req, state, ctx)
    local membership = state.partner.membership
    return award_package(state, membership, ctx.as_of, membership_year(state, ctx.as_of, ctx), ctx)
  end,

  -- A renewal continues the membership for a year from the day after it ends; a membership that
  -- has already ended starts again today.
  ["membership.renew"] = function(req, state, ctx)
    local membership = state.partner.membership
    local start = math.max(pp.date(membership["end"]) + 1, ctx.as_of)
    return award_package(state, membership, start, membership_year(state, start, ctx), ctx)
  end,

  -- The user gains the Partner Center role; a role the user holds already changes nothing.
  ["user.modify-roles"] = function(req, state, ctx)
    local user = req.user
    if pp.contains(user.partner_center_roles, req.role) then
      return {}
    end
    return { { op = "add", path = pp.pointer(user) .. "/partner_center_roles/-", value = req.role } }
  end,

  -- An appeal uses one of the appeals allowed against a rejected verification.
  ["verification.appeal"] = function(req, state, ctx)
    local partner = state.partner
    return { { op = "add", path = "/partner/appeals_used", value = (partner.appeals_used or 0) + 1 } }
  end,
}
