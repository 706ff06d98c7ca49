local tenant_label = lib.text.tenant

local function named(products, product)
  local wanted = pp.lower(product)
  for _, name in ipairs(products) do
    if pp.lower(name) == wanted then
      return true
    end
  end
  return false
end

local function need(products)
  return { label = lib.text.join(products, "or", pp.say("no_product")), products = products }
end

-- The prerequisites of `product`: a list of { label = "...", products = {...} }, or nil when the
-- product is not a Copilot benefit this rule knows.
local function prerequisites(params, product)
  if named(params.copilot_products, product) then
    return { need(params.base_products) }
  elseif named(params.role_copilot_products, product) then
    return { need(params.base_products), need(params.copilot_products) }
  end
  return nil
end

-- Where each product is active, in one pass over the state: tenant id -> lower-case product
-- name -> { rank, id, product } of the first subscription (document order) showing it, else the
-- first benefit. Looking answers up here keeps a check linear in the size of the state.
--
-- With `moved` (a subscription) and `to_tenant` (a tenant id or nil), the index is of the state
-- after that subscription moved there.
local function active_index(state, moved, to_tenant)
  local index, rank = {}, 0
  local function note(tenant_id, product, id)
    rank = rank + 1
    index[tenant_id] = index[tenant_id] or {}
    local key = pp.lower(product)
    index[tenant_id][key] = index[tenant_id][key] or { rank = rank, id = id, product = product }
  end
  for _, sub in ipairs(state.subscriptions) do
    local tenant_id = sub.tenant
    if moved ~= nil and sub.id == moved.id then
      tenant_id = to_tenant
    end
    if sub.status == "active" and tenant_id ~= nil then
      note(tenant_id, sub.product, sub.id)
    end
  end
  for _, benefit in ipairs(state.cloud_benefits) do
    if benefit.status == "redeemed" and benefit.subscription == nil and benefit.tenant ~= nil then
      note(benefit.tenant, benefit.product, benefit.id)
    end
  end
  return index
end

-- The { id, product } of what shows `products` active on tenant_id (a subscription or a
-- benefit), or nil. `index` is the state's active_index.
local function active_on(index, products, tenant_id)
  local best = nil
  for _, name in ipairs(products) do
    local hit = (index[tenant_id] or {})[pp.lower(name)]
    if hit ~= nil and (best == nil or hit.rank < best.rank) then
      best = hit
    end
  end
  return best
end

-- Prerequisites (from `needs`) not active on tenant_id.
local function missing_on(index, needs, tenant_id)
  local missing = {}
  for _, need in ipairs(needs) do
    if active_on(index, need.products, tenant_id) == nil then
      missing[#missing + 1] = need
    end
  end
  return missing
end

-- Labels of the tenants (document order) where every prerequisite is active; `index_for` gives
-- the index to judge a tenant by.
local function ready_tenants(state, needs, index_for)
  local labels = {}
  for _, tenant in ipairs(state.tenants) do
    if #missing_on(index_for(tenant), needs, tenant.id) == 0 then
      labels[#labels + 1] = tenant_label(tenant)
    end
  end
  return labels
end

local function labels_of(needs)
  local labels = {}
  for _, need in ipairs(needs) do
    labels[#labels + 1] = need.label
  end
  return table.concat(labels, " and ")
end

-- Each missing prerequisite with the tenants where it is active instead.
local function missing_text(state, index, missing, tenant_id)
  local parts = {}
  for _, need in ipairs(missing) do
    local elsewhere = {}
    for _, tenant in ipairs(state.tenants) do
      if tenant.id ~= tenant_id and active_on(index, need.products, tenant.id) ~= nil then
        elsewhere[#elsewhere + 1] = tenant.id
      end
    end
    parts[#parts + 1] = #elsewhere > 0
      and pp.say("active_only_on", { need = need.label, tenants = table.concat(elsewhere, ", ") })
      or pp.say("active_nowhere", { need = need.label })
  end
  return table.concat(parts, " and ")
end

-- How to get each missing prerequisite onto the tenant: an available benefit to redeem there,
-- else a subscription to activate.
local function activation_steps(state, missing, tenant)
  local steps = {}
  for _, need in ipairs(missing) do
    local available = nil
    for _, benefit in ipairs(state.cloud_benefits) do
      if benefit.status == "available" and named(need.products, benefit.product) then
        available = benefit
        break
      end
    end
    steps[#steps + 1] = available and pp.say("redeem_step",
        { benefit = available.id, product = available.product, tenant = tenant.id })
      or pp.say("activate_step", { need = need.label, tenant = tenant.id })
  end
  return table.concat(steps, ", then ")
end

-- The Copilot subscriptions and benefits on the tenant `sub` leaves that have all their
-- prerequisites now and would miss one once `sub` is gone from it.
local function left_without(state, params, sub)
  local before, after = active_index(state), active_index(state, sub, nil)
  local broken = {}
  local function judge(what, product)
    local needs = prerequisites(params, product)
    if needs ~= nil and #missing_on(before, needs, sub.tenant) == 0 and #missing_on(after, needs, sub.tenant) > 0 then
      broken[#broken + 1] = pp.say("with_detail", { name = what, detail = product })
    end
  end
  for _, other in ipairs(state.subscriptions) do
    if other.id ~= sub.id and other.status == "active" and other.tenant == sub.tenant then
      judge(pp.say("subscription", { id = other.id }), other.product)
    end
  end
  for _, benefit in ipairs(state.cloud_benefits) do
    if benefit.status == "redeemed" and benefit.subscription == nil and benefit.tenant == sub.tenant then
      judge(pp.say("redeemed_benefit", { id = benefit.id }), benefit.product)
    end
  end
  return broken
end

---@type Rule
return {
  id = "cloud.copilot-prerequisites",
  severity = "error",
  source = { seed = "002_013589e162925edb.txt", section = "Activate Copilot benefits" },
  params = {
    base_products = { "Microsoft 365 E3", "Microsoft 365 E5" },
    copilot_products = { "Copilot for Microsoft 365" },
    role_copilot_products = { "Copilot for Finance", "Copilot for Sales", "Copilot for Services" },
  },
  constrains = { "cloud_benefits.status", "cloud_benefits.tenant", "subscriptions.status", "subscriptions.tenant" },
  no_say = {
    ["membership.purchase"] = "a purchase makes modernized subscriptions active again together, prerequisites with them, and is never refused for a prerequisite",
    ["membership.renew"] = "a renewal makes modernized subscriptions active again together, prerequisites with them, and is never refused for a prerequisite",
    ["subscription.add-licenses"] = "added licenses keep the subscription on its tenant, with its prerequisites; a lapsed one is reactivated, not topped up (subscriptions.lapsed-reactivation)",
    ["subscription.extend"] = "an extension keeps the subscription on its tenant, with its prerequisites",
    ["subscription.reactivate"] = "a reactivation keeps the subscription on its tenant, with its prerequisites",
  },

  check = function(state, ctx)
    local index = active_index(state)
    local function judge(at, what, product, tenant_id)
      local needs = prerequisites(ctx.params, product)
      local missing = needs and missing_on(index, needs, tenant_id)
      if missing and #missing > 0 then
        local tenant = pp.find(state.tenants, tenant_id)
        ctx.report{ at = at,
          message = pp.say("without", { what = what, product = product, tenant = tenant_label(tenant),
            missing = missing_text(state, index, missing, tenant_id) }),
          remedy = activation_steps(state, missing, tenant) }
      end
    end
    for _, sub in ipairs(state.subscriptions) do
      if sub.status == "active" then
        judge(sub, pp.say("subscription", { id = sub.id }), sub.product, sub.tenant)
      end
    end
    for _, benefit in ipairs(state.cloud_benefits) do
      if benefit.status == "redeemed" and benefit.subscription == nil and benefit.tenant ~= nil then
        judge(benefit, pp.say("redeemed_benefit", { id = benefit.id }), benefit.product, benefit.tenant)
      end
    end
  end,

  decide = {
    -- A move takes the subscription off its tenant, where Copilot may need it, and puts a Copilot
    -- subscription on a tenant that must have its own prerequisites.
    ["subscription.move"] = function(req, state, ctx)
      local sub = req.subscription
      if sub.status ~= "active" then
        return nil -- not active: it is nobody's prerequisite, and the check judges active ones only
      end
      local broken = left_without(state, ctx.params, sub)
      local f = { sub = sub.id, product = sub.product, tenant = sub.tenant }
      if #broken > 0 then
        f.broken, f.verb = table.concat(broken, " and "), #broken == 1 and "needs" or "need"
        return pp.deny(pp.say("needed_here", f), pp.say("keep_here", f))
      end
      local needs = prerequisites(ctx.params, sub.product)
      if needs == nil then
        return pp.allow(pp.say("not_needed", f))
      end
      f.needs = labels_of(needs)
      local target = req.tenant
      if target == nil then
        local ready = ready_tenants(state, needs, function(tenant)
          return active_index(state, sub, tenant.id)
        end)
        f.ready = table.concat(ready, "; ")
        if #ready == 0 then
          return pp.deny(pp.say("no_tenant_ready", f), pp.say("activate_then_move", f))
        elseif #ready == #state.tenants then
          return pp.allow(pp.say("every_tenant", f))
        end
        return pp.condition(pp.say("tenant_must_for", f))
      end
      local index = active_index(state, sub, target.id)
      local missing = missing_on(index, needs, target.id)
      f.tenant = tenant_label(target)
      if #missing > 0 then
        f.missing = missing_text(state, index, missing, target.id)
        return pp.deny(pp.say("target_lacks", f), pp.say("first_then_move",
          { steps = activation_steps(state, missing, target), sub = sub.id }))
      end
      return pp.allow(pp.say("tenant_has", f))
    end,

    ["benefit.redeem"] = function(req, state, ctx)
      local benefit, tenant = req.benefit, req.tenant
      local needs = prerequisites(ctx.params, benefit.product)
      if needs == nil then
        return nil -- not a Copilot benefit
      end
      local index = active_index(state)
      local function index_for()
        return index
      end
      local f = { benefit = benefit.id, product = benefit.product, needs = labels_of(needs) }
      if tenant == nil then
        local ready = ready_tenants(state, needs, index_for)
        if #ready == 0 then
          local first = state.tenants[1]
          local remedy = first and pp.say("prerequisites_first", { benefit = benefit.id,
              steps = activation_steps(state, missing_on(index, needs, first.id), first) })
            or pp.say("activate_one", f)
          return pp.deny(pp.say("no_tenant_has", f), remedy)
        elseif #ready == #state.tenants then
          return pp.allow(pp.say("every_tenant", f))
        end
        f.ready = table.concat(ready, "; ")
        return pp.condition(pp.say("tenant_must", f))
      end
      local missing = missing_on(index, needs, tenant.id)
      if #missing > 0 then
        local remedy = pp.say("first_then_redeem", { steps = activation_steps(state, missing, tenant),
          benefit = benefit.id, tenant = tenant.id })
        local ready = ready_tenants(state, needs, index_for)
        if #ready > 0 then
          remedy = remedy .. pp.say("or_redeem_on", { benefit = benefit.id, ready = table.concat(ready, "; ") })
        end
        f.tenant, f.missing = tenant_label(tenant), missing_text(state, index, missing, tenant.id)
        return pp.deny(pp.say("benefit_lacks", f), remedy)
      end
      local shown = {}
      for _, need in ipairs(needs) do
        local hit = active_on(index, need.products, tenant.id)
        shown[#shown + 1] = pp.say("with_detail", { name = hit.product, detail = hit.id })
      end
      return pp.allow(pp.say("tenant_has", { tenant = tenant_label(tenant),
        needs = table.concat(shown, " and "), product = benefit.product }))
    end,
  },
}
