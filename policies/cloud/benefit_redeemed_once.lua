-- policies/cloud/benefit_redeemed_once.lua
--
-- A keyless cloud benefit is redeemed once: to use it on another tenant of the same billing
-- account, the partner moves or assigns the subscription its redemption created (seed 002, "How do
-- I redeem a cloud benefit in one tenant and use it in another tenant?": "redeem the benefit once
-- and then move or assign the subscription in the associated tenant"). Product-key benefits are
-- redeemed key by key, which cloud.key-single-use decides.

-- "T-LAB (contosolab.onmicrosoft.com)" for a tenant id.
local function tenant_label(state, id)
  local tenant = pp.find(state.tenants, id)
  return tenant ~= nil and lib.text.tenant(tenant) or id
end

-- What to do instead of redeeming `benefit` again, given the tenant asked for (nil when open).
local function instead(state, benefit, tenant)
  local sub = benefit.subscription ~= nil and pp.find(state.subscriptions, benefit.subscription) or nil
  if sub == nil then
    return ("use what redeeming %s gave: its licenses are on the tenant it was redeemed on"):format(benefit.id)
  end
  if tenant ~= nil and tenant.id ~= sub.tenant then
    return ("to use it on %s, move subscription %s there (subscription.move, with its licenses unassigned first) "
      .. "or assign its licenses to users of that tenant"):format(lib.text.tenant(tenant), sub.id)
  end
  return ("assign the licenses of subscription %s (license.assign), or move it to another tenant of the billing "
    .. "account (subscription.move)"):format(sub.id)
end

---@type Rule
return {
  id = "cloud.benefit-redeemed-once",
  title = "A keyless cloud benefit is redeemed once; its subscription is then moved or assigned",
  severity = "error",
  source = { seed = "002_013589e162925edb.txt",
             section = "How do I redeem a cloud benefit in one tenant and use it in another tenant?" },
  description = "A keyless cloud benefit is redeemed once, through the $0 checkout; to use it on another "
    .. "tenant associated with the billing account the partner moves or assigns the subscription it "
    .. "created (seed 002, 'How do I redeem a cloud benefit in one tenant and use it in another tenant?'). "
    .. "decide benefit.redeem: a keyless benefit that is Redeemed is denied, with the subscription and "
    .. "tenant its redemption created and, as remedy, moving or assigning that subscription; an Expired "
    .. "one is denied as gone; an Available one is allowed. No say on product-key benefits "
    .. "(cloud.key-single-use decides them key by key).",
  params = {},
  constrains = { "cloud_benefits.status", "cloud_benefits.subscription" },

  decide = {
    ["benefit.redeem"] = function(req, state, ctx)
      local benefit = req.benefit
      if benefit.redemption ~= "keyless" then
        return nil
      end
      if benefit.status == "available" then
        return pp.allow(("keyless benefit %s (%s) has not been redeemed yet; it is redeemed once"):format(
          benefit.id, benefit.product))
      end
      if benefit.status == "expired" then
        return pp.deny(
          ("keyless benefit %s (%s) has expired; it can no longer be redeemed"):format(benefit.id, benefit.product),
          ("new benefits come after the membership (%s) is renewed before it ends on %s, or buy a paid subscription of %s"):format(
            state.partner.membership.offer, state.partner.membership["end"], benefit.product))
      end
      local where = ""
      if benefit.subscription ~= nil then
        where = (" as subscription %s"):format(benefit.subscription)
      end
      if benefit.tenant ~= nil then
        where = where .. (" on %s"):format(tenant_label(state, benefit.tenant))
      end
      local when = benefit.redeemed_on ~= nil and (" on " .. benefit.redeemed_on) or ""
      return pp.deny(
        ("keyless benefit %s (%s) was already redeemed%s%s; a cloud benefit is redeemed once"):format(
          benefit.id, benefit.product, when, where),
        instead(state, benefit, req.tenant))
    end,
  },
}
