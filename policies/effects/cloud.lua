-- policies/effects/cloud.lua: what the cloud benefit and subscription actions change in the
-- partner state (seed 002). Each function returns a list of JSON Patch operations; see
-- policies/effects/credits.lua.

local function today(ctx)
  return pp.date_string(ctx.as_of)
end

-- Sets `field` of `node` (adds it when absent).
local function set(node, field, value)
  return { op = "add", path = pp.pointer(node) .. "/" .. field, value = value }
end

-- Appends `value` to the list `field` of `node`, creating the list when absent.
local function append(node, field, value)
  if node[field] == nil then
    return set(node, field, { value })
  end
  return { op = "add", path = pp.pointer(node) .. "/" .. field .. "/-", value = value }
end

-- A subscription that no longer runs: disabled, expired or past its end date
-- (lib.subscriptions.lapse, as the rules see it). A key then reactivates it rather than
-- extending it (seed 002, "Activate a subscription for the first time": "or if your
-- subscription is in a disabled or expired state").
local function lapsed(sub, ctx)
  return lib.subscriptions.lapse(sub, ctx.as_of) ~= nil
end

-- The product key a redemption of `licenses` licenses on `sub` uses: the key the request names
-- (`given`), else an unredeemed key of the subscription's benefit with that many licenses; a key
-- of the benefit is marked redeemed today (in `ops`). Else a key from elsewhere, named by
-- lib.new_ids.key.
local function key_for(state, sub, licenses, given, ops, ctx)
  local benefit = sub.benefit ~= nil and pp.find(state.cloud_benefits, sub.benefit) or nil
  local wanted = given ~= nil and lib.subscriptions.key_id(given) or nil
  if benefit ~= nil and benefit.product_keys ~= nil then
    for _, k in ipairs(benefit.product_keys) do
      local match
      if wanted ~= nil then
        match = lib.subscriptions.key_id(k.key) == wanted
      else
        match = k.redeemed_on == nil and k.licenses == licenses
      end
      if match then
        if k.redeemed_on == nil then
          ops[#ops + 1] = set(k, "redeemed_on", today(ctx))
        end
        return k.key
      end
    end
  end
  return given or lib.new_ids.key(state)
end

-- The operations of redeeming a key of `licenses` on `sub` for `use`, the subscription then
-- ending on `ends` (a day).
local function redeem_on(sub, key, licenses, use, ends, ctx, ops)
  ops[#ops + 1] = set(sub, "end", pp.date_string(ends))
  ops[#ops + 1] = append(sub, "key_redemptions", {
    key = key,
    licenses = licenses,
    use = use,
    active_licenses_before = sub.active_licenses,
    on = today(ctx),
  })
end

-- A key redeemed on a lapsed subscription (or one without active licenses) activates it again:
-- active, with the key's licenses, for 12 months from today.
local function reactivate(sub, key, licenses, ctx, ops)
  redeem_on(sub, key, licenses, "activate", pp.add_months(ctx.as_of, lib.end_dates.MONTHS_PER_KEY), ctx, ops)
  ops[#ops + 1] = set(sub, "status", "active")
  ops[#ops + 1] = set(sub, "active_licenses", licenses)
end

-- The tenant a benefit is redeemed on when the request names none: for a keyless benefit the
-- first tenant associated with its billing account with billing management (the $0 checkout
-- offers only those), else the actor's home tenant, else the first tenant.
local function redemption_tenant(state, benefit, actor)
  if benefit.redemption == "keyless" then
    local account = lib.billing.benefit_account(state, benefit)
    for _, tenant in ipairs(state.tenants) do
      if lib.billing.billing_managed(account, tenant.id) then
        return tenant.id
      end
    end
  end
  if actor ~= nil then
    return actor.tenant
  end
  return state.tenants[1].id
end

---@type Effects
return {
  -- A key of K licenses moves the end date by 12 x K / A months (lib.end_dates, as
  -- subscriptions.extension-limit computes it) and is recorded as used; the licenses stay.
  ["subscription.extend"] = function(req, state, ctx)
    local sub = req.subscription
    local key_licenses = req.key_licenses
    local ops = {}
    local key = key_for(state, sub, key_licenses, req.key, ops, ctx)
    if lapsed(sub, ctx) or sub.active_licenses == 0 then
      reactivate(sub, key, key_licenses, ctx, ops)
      return ops
    end
    local ends = lib.end_dates.extended(pp.date(sub["end"]), key_licenses, sub.active_licenses)
    redeem_on(sub, key, key_licenses, "extend", ends, ctx, ops)
    return ops
  end,

  -- C licenses are added and all licenses share one end date, the time left averaged
  -- (lib.end_dates, as subscriptions.license-averaging computes it). A modernized subscription
  -- has no keys and ends with the membership whatever its licenses: it only gets the licenses.
  ["subscription.add-licenses"] = function(req, state, ctx)
    local sub = req.subscription
    local added = req.licenses
    if added < 1 then
      return {} -- no licenses to add (subscriptions.license-averaging refuses such a request)
    end
    if sub.model == "modernized" then
      return { set(sub, "active_licenses", sub.active_licenses + added) }
    end
    local ops = {}
    local key = key_for(state, sub, added, req.key, ops, ctx)
    if lapsed(sub, ctx) then
      reactivate(sub, key, added, ctx, ops)
      return ops
    end
    local ends = lib.end_dates.averaged(ctx.as_of, pp.date(sub["end"]), sub.active_licenses, added,
      lib.end_dates.MONTHS_PER_KEY)
    redeem_on(sub, key, added, "add_licenses", ends, ctx, ops)
    ops[#ops + 1] = set(sub, "active_licenses", sub.active_licenses + added)
    return ops
  end,

  -- A new key on a disabled or expired subscription activates it again: active, with the key's
  -- licenses, for 12 months from today (seed 002, "Activate a subscription for the first time").
  ["subscription.reactivate"] = function(req, state, ctx)
    local sub = req.subscription
    local ops = {}
    local key = key_for(state, sub, req.key_licenses, req.key, ops, ctx)
    reactivate(sub, key, req.key_licenses, ctx, ops)
    return ops
  end,

  ["subscription.move"] = function(req, state, ctx)
    return { set(req.subscription, "tenant", req.tenant.id) }
  end,

  -- The user gets a license: one more assigned, and the user among those holding one. Assigning
  -- a license the user already holds changes nothing.
  ["license.assign"] = function(req, state, ctx)
    local sub = req.subscription
    local user = req.user
    if sub.assigned_users ~= nil and pp.contains(sub.assigned_users, user.id) then
      return {}
    end
    return {
      append(sub, "assigned_users", user.id),
      set(sub, "assigned_licenses", sub.assigned_licenses + 1),
    }
  end,

  -- Redeeming marks the benefit redeemed (today, by the actor, on the tenant) and creates its
  -- subscription: keyless, a modernized one ending with the membership; with product keys, the
  -- first unredeemed key activates a subscription for 12 months with the key's licenses (a
  -- benefit that already has a subscription gets it reactivated by the key).
  ["benefit.redeem"] = function(req, state, ctx)
    local benefit = req.benefit
    local tenant = req.tenant ~= nil and req.tenant.id or redemption_tenant(state, benefit, req.actor)
    local ops = {
      set(benefit, "status", "redeemed"),
      set(benefit, "redeemed_on", today(ctx)),
      set(benefit, "tenant", tenant),
    }
    if req.actor ~= nil then
      ops[#ops + 1] = set(benefit, "redeemed_by", req.actor.id)
    end
    local key = lib.subscriptions.next_key(benefit)
    if benefit.redemption == "product_key" and key ~= nil then
      ops[#ops + 1] = set(key, "redeemed_on", today(ctx))
    end
    local existing = benefit.subscription ~= nil and pp.find(state.subscriptions, benefit.subscription) or nil
    if benefit.redemption == "product_key" and existing ~= nil then
      if key ~= nil then
        reactivate(existing, key.key, key.licenses, ctx, ops)
      end
      return ops
    end

    local sub = {
      id = lib.new_ids.free(state.subscriptions, "S-" .. benefit.id),
      product = benefit.product,
      benefit = benefit.id,
      tenant = tenant,
      status = "active",
      assigned_licenses = 0,
    }
    if benefit.redemption == "keyless" then
      sub.model = "modernized"
      sub.active_licenses = benefit.licenses
      sub["end"] = state.partner.membership["end"]
    else
      sub.model = "product_key"
      sub.active_licenses = key ~= nil and key.licenses or benefit.licenses
      sub["end"] = pp.date_string(pp.add_months(ctx.as_of, lib.end_dates.MONTHS_PER_KEY))
      if key ~= nil then
        sub.key_redemptions = {
          { key = key.key, licenses = key.licenses, use = "activate", active_licenses_before = 0, on = today(ctx) },
        }
      end
    end
    ops[#ops + 1] = { op = "add", path = "/subscriptions/-", value = sub }
    ops[#ops + 1] = set(benefit, "subscription", sub.id)
    return ops
  end,

  -- The benefit becomes bound to the other billing account.
  ["benefit.transfer"] = function(req, state, ctx)
    return { set(req.benefit, "billing_account", req.billing_account.id) }
  end,
}
