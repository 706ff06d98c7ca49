-- policies/cloud/benefit_redeemed_once.lua
--
-- A cloud benefit is redeemed once: to use a keyless one on another tenant of the same billing
-- account, the partner moves or assigns the subscription its redemption created (seed 002, "How do
-- I redeem a cloud benefit in one tenant and use it in another tenant?": "redeem the benefit once
-- and then move or assign the subscription in the associated tenant"). A product-key benefit's
-- later keys go on the subscription its first key created, adding licenses or extending it (seed
-- 002, "Licensing scenarios"), or reactivating it once lapsed; which keys are left is
-- cloud.key-single-use's to decide.

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

-- A product-key benefit whose first key created a subscription: the next key goes on it.
local function next_key_on_subscription(state, benefit, ctx)
  local sub = benefit.subscription ~= nil and pp.find(state.subscriptions, benefit.subscription) or nil
  if sub == nil then
    return nil -- no subscription yet: redeeming a key creates it (cloud.key-single-use decides the key)
  end
  local key = lib.subscriptions.next_key(benefit)
  local with = key ~= nil and (" key=%s key-licenses=%d"):format(key.key, key.licenses) or " key=<the new key>"
  local how
  if lib.subscriptions.lapse(sub, ctx.as_of) ~= nil then
    how = ("it has lapsed, so reactivate it: subscription.reactivate subscription=%s%s"):format(sub.id, with)
  else
    how = ("redeem the key on it: subscription.extend subscription=%s%s, or subscription.add-licenses for more "
      .. "licenses"):format(sub.id, with)
  end
  return pp.deny(
    ("product-key benefit %s (%s) was already redeemed as subscription %s; its next key goes on that subscription"):format(
      benefit.id, benefit.product, sub.id),
    how)
end

---@type Rule
return {
  id = "cloud.benefit-redeemed-once",
  title = "A cloud benefit is redeemed once; then its subscription is moved, assigned or given the next keys",
  severity = "error",
  source = { seed = "002_013589e162925edb.txt",
             section = "How do I redeem a cloud benefit in one tenant and use it in another tenant?" },
  description = "A keyless cloud benefit is redeemed once, through the $0 checkout; to use it on another "
    .. "tenant associated with the billing account the partner moves or assigns the subscription it "
    .. "created (seed 002, 'How do I redeem a cloud benefit in one tenant and use it in another tenant?'). "
    .. "decide benefit.redeem: a keyless benefit that is Redeemed is denied, with the subscription and "
    .. "tenant its redemption created and, as remedy, moving or assigning that subscription; an Expired "
    .. "one is denied as gone; an Available one is allowed. A product-key benefit that already has its "
    .. "subscription is denied too: its next key goes on that subscription (subscription.extend or "
    .. "subscription.add-licenses while it runs, subscription.reactivate once it has lapsed), which the "
    .. "remedy names with the key; no say on other product-key benefits (cloud.key-single-use decides "
    .. "them key by key).",
  params = {},
  constrains = { "cloud_benefits.status", "cloud_benefits.subscription" },

  decide = {
    ["benefit.redeem"] = function(req, state, ctx)
      local benefit = req.benefit
      if benefit.redemption ~= "keyless" then
        return next_key_on_subscription(state, benefit, ctx)
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
