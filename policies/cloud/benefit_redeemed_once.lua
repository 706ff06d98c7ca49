local function subscription_of(state, benefit)
  return benefit.subscription ~= nil and pp.find(state.subscriptions, benefit.subscription) or nil
end

-- What to do instead of redeeming `benefit` again, given the tenant asked for (nil when open).
local function instead(state, benefit, tenant)
  local sub = subscription_of(state, benefit)
  if sub == nil then
    return pp.say("use_what_gave", { benefit = benefit.id })
  elseif tenant ~= nil and tenant.id ~= sub.tenant then
    return pp.say("move_there", { tenant = lib.text.tenant(tenant), sub = sub.id })
  end
  return pp.say("assign_or_move", { sub = sub.id })
end

-- A product-key benefit whose first key created a subscription: the next key goes on it.
local function next_key_on_subscription(state, benefit, ctx)
  local sub = subscription_of(state, benefit)
  if sub == nil then
    return nil -- no subscription yet: redeeming a key creates it (cloud.key-single-use decides the key)
  end
  local key = lib.subscriptions.next_key(benefit)
  local with = key ~= nil and pp.say("with_key", { key = key.key, licenses = key.licenses })
    or pp.say("with_new_key")
  local how = lib.subscriptions.lapse(sub, ctx.as_of) ~= nil and "reactivate" or "extend"
  return pp.deny(pp.say("key_already", { benefit = benefit.id, product = benefit.product, sub = sub.id }),
    pp.say(how, { sub = sub.id, with = with }))
end

---@type Rule
return {
  id = "cloud.benefit-redeemed-once",
  severity = "error",
  source = { seed = "002_013589e162925edb.txt",
             section = "How do I redeem a cloud benefit in one tenant and use it in another tenant?" },
  params = {},
  constrains = { "cloud_benefits.status", "cloud_benefits.subscription" },

  decide = {
    ["benefit.redeem"] = function(req, state, ctx)
      local benefit = req.benefit
      if benefit.redemption ~= "keyless" then
        return next_key_on_subscription(state, benefit, ctx)
      end
      local f = { benefit = benefit.id, product = benefit.product }
      if benefit.status == "available" then
        return pp.allow(pp.say("not_yet", f))
      elseif benefit.status == "expired" then
        local membership = state.partner.membership
        return pp.deny(pp.say("expired", f), pp.say("new_benefits",
          { offer = membership.offer, ends = membership["end"], product = benefit.product }))
      end
      local tenant = benefit.tenant and pp.find(state.tenants, benefit.tenant)
      f.as = benefit.subscription and pp.say("as_sub", { sub = benefit.subscription }) or ""
      f.on = benefit.tenant and pp.say("on", { what = tenant and lib.text.tenant(tenant) or benefit.tenant })
        or ""
      f.when = benefit.redeemed_on and pp.say("on", { what = benefit.redeemed_on }) or ""
      return pp.deny(pp.say("already", f), instead(state, benefit, req.tenant))
    end,
  },
}
