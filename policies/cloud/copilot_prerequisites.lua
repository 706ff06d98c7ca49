-- policies/cloud/copilot_prerequisites.lua
--
-- Copilot benefits build on other benefits activated first, on the same tenant:
--   Copilot for Microsoft 365                              needs Microsoft 365 E3 or E5;
--   Copilot for Finance / Copilot for Sales / Copilot for Services need Microsoft 365 E3 or E5
--                                                          and Copilot for Microsoft 365.
-- Products are matched by name (case-insensitive, whole name) against the lists in params.
--
-- A prerequisite is active on a tenant when a subscription of one of its products is active on
-- that tenant, or when a benefit of one of its products is redeemed on that tenant and records no
-- subscription (the redemption is then the only evidence).

local function named(products, product)
  local wanted = pp.lower(product)
  for _, name in ipairs(products) do
    if pp.lower(name) == wanted then
      return true
    end
  end
  return false
end

-- "a, b or c" of the product names.
local function either(products)
  return lib.text.join(products, "or", "(no product configured)")
end

-- The prerequisites of `product`: a list of { label = "...", products = {...} }, or nil when the
-- product is not a Copilot benefit this rule knows.
local function prerequisites(params, product)
  local base = { label = either(params.base_products), products = params.base_products }
  if named(params.copilot_products, product) then
    return { base }
  end
  if named(params.role_copilot_products, product) then
    return { base, { label = either(params.copilot_products), products = params.copilot_products } }
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
    local products = index[tenant_id] or {}
    index[tenant_id] = products
    local key = pp.lower(product)
    products[key] = products[key] or { rank = rank, id = id, product = product }
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

-- The id and product of what shows `products` active on tenant_id (a subscription or a
-- benefit), or nil. `index` is the state's active_index.
local function active_on(index, products, tenant_id)
  local best = nil
  for _, name in ipairs(products) do
    local hit = (index[tenant_id] or {})[pp.lower(name)]
    if hit ~= nil and (best == nil or hit.rank < best.rank) then
      best = hit
    end
  end
  if best == nil then
    return nil
  end
  return best.id, best.product
end

local tenant_label = lib.text.tenant

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

-- Labels of the tenants (document order) where every prerequisite is active.
local function ready_tenants(state, index, needs)
  local labels = {}
  for _, tenant in ipairs(state.tenants) do
    if #missing_on(index, needs, tenant.id) == 0 then
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

-- "Copilot for Microsoft 365 (active on T-LAB only)" / "... (active on no tenant)".
local function missing_text(state, index, missing, tenant_id)
  local parts = {}
  for _, need in ipairs(missing) do
    local elsewhere = {}
    for _, tenant in ipairs(state.tenants) do
      if tenant.id ~= tenant_id and active_on(index, need.products, tenant.id) ~= nil then
        elsewhere[#elsewhere + 1] = tenant.id
      end
    end
    if #elsewhere > 0 then
      parts[#parts + 1] = ("%s (active on %s only)"):format(need.label, table.concat(elsewhere, ", "))
    else
      parts[#parts + 1] = ("%s (active on no tenant)"):format(need.label)
    end
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
    if available ~= nil then
      steps[#steps + 1] = ("redeem benefit %s (%s) on tenant %s"):format(available.id, available.product, tenant.id)
    else
      steps[#steps + 1] = ("activate %s on tenant %s"):format(need.label, tenant.id)
    end
  end
  return table.concat(steps, ", then ")
end

-- The Copilot subscriptions and benefits on the tenant `sub` leaves that have all their
-- prerequisites now and would miss one once `sub` is gone from it: "subscription S-COP
-- (Copilot for Microsoft 365)" each.
local function left_without(state, params, sub)
  local before = active_index(state)
  local after = active_index(state, sub, nil)
  local broken = {}
  local function judge(what, product)
    local needs = prerequisites(params, product)
    if needs ~= nil and #missing_on(before, needs, sub.tenant) == 0 and #missing_on(after, needs, sub.tenant) > 0 then
      broken[#broken + 1] = ("%s (%s)"):format(what, product)
    end
  end
  for _, other in ipairs(state.subscriptions) do
    if other.id ~= sub.id and other.status == "active" and other.tenant == sub.tenant then
      judge("subscription " .. other.id, other.product)
    end
  end
  for _, benefit in ipairs(state.cloud_benefits) do
    if benefit.status == "redeemed" and benefit.subscription == nil and benefit.tenant == sub.tenant then
      judge("redeemed benefit " .. benefit.id, benefit.product)
    end
  end
  return broken
end

---@type Rule
return {
  id = "cloud.copilot-prerequisites",
  title = "Copilot benefits need Microsoft 365 E3 or E5 (and Copilot for Microsoft 365) on the same tenant",
  severity = "error",
  source = { seed = "002_013589e162925edb.txt", section = "Activate Copilot benefits" },
  description = "Copilot for Microsoft 365 (copilot_products) can be redeemed only after Microsoft 365 E3 or "
    .. "E5 (base_products) is activated; Copilot for Finance, Sales and Services (role_copilot_products) "
    .. "need both Microsoft 365 E3 or E5 and Copilot for Microsoft 365; all on the same tenant (seed 002, "
    .. "'Activate Copilot benefits'). Products match by whole name, case-insensitive. A prerequisite is "
    .. "active on a tenant when a subscription of it is active there, or a benefit of it is redeemed there "
    .. "without a recorded subscription. decide benefit.redeem of a Copilot benefit: on a given tenant, "
    .. "denied naming each prerequisite missing there (and where it is active instead); without a tenant, "
    .. "the condition names the tenants where all prerequisites are active (denied when there is none). "
    .. "check reports an active Copilot subscription (or a redeemed Copilot benefit that records no "
    .. "subscription) on a tenant where a prerequisite is not active. decide subscription.move of an active "
    .. "subscription: denied, whatever the tenant, when a Copilot subscription or benefit on its tenant needs it "
    .. "there (naming them); for a Copilot subscription, denied on a tenant missing one of its prerequisites, and "
    .. "with the tenant open the condition names the tenants that have them all (denied when none does); "
    .. "otherwise allowed. No say on a subscription that is not active: it is no one's prerequisite.",
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
      if needs == nil then
        return
      end
      local missing = missing_on(index, needs, tenant_id)
      if #missing == 0 then
        return
      end
      local tenant = pp.find(state.tenants, tenant_id)
      ctx.report{
        at = at,
        message = ("%s (%s) is on tenant %s without %s, which %s needs on the same tenant"):format(
          what, product, tenant_label(tenant), missing_text(state, index, missing, tenant_id), product),
        remedy = activation_steps(state, missing, tenant),
      }
    end
    for _, sub in ipairs(state.subscriptions) do
      if sub.status == "active" then
        judge(sub, "subscription " .. sub.id, sub.product, sub.tenant)
      end
    end
    for _, benefit in ipairs(state.cloud_benefits) do
      if benefit.status == "redeemed" and benefit.subscription == nil and benefit.tenant ~= nil then
        judge(benefit, "redeemed benefit " .. benefit.id, benefit.product, benefit.tenant)
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
      if #broken > 0 then
        return pp.deny(
          ("%s %s %s (%s) on tenant %s: the benefit licenses of Copilot are all activated on the same tenant"):format(
            table.concat(broken, " and "), #broken == 1 and "needs" or "need", sub.id, sub.product, sub.tenant),
          ("keep %s on %s; to move it, first activate another %s subscription on %s"):format(
            sub.id, sub.tenant, sub.product, sub.tenant))
      end
      local needs = prerequisites(ctx.params, sub.product)
      if needs == nil then
        return pp.allow(("no Copilot subscription or benefit on tenant %s needs %s (%s)"):format(
          sub.tenant, sub.id, sub.product))
      end
      local target = req.tenant
      if target == nil then
        local ready = {}
        for _, tenant in ipairs(state.tenants) do
          if #missing_on(active_index(state, sub, tenant.id), needs, tenant.id) == 0 then
            ready[#ready + 1] = tenant_label(tenant)
          end
        end
        if #ready == 0 then
          return pp.deny(
            ("%s (%s) needs %s active on its tenant, and no tenant has them all"):format(sub.id, sub.product, labels_of(needs)),
            ("activate %s on the tenant first, then move %s there"):format(labels_of(needs), sub.id))
        end
        if #ready == #state.tenants then
          return pp.allow(("every tenant has %s active, which %s needs"):format(labels_of(needs), sub.product))
        end
        return pp.condition(
          ("the tenant must have %s active, which %s needs: %s"):format(labels_of(needs), sub.product, table.concat(ready, "; ")))
      end
      local index = active_index(state, sub, target.id)
      local missing = missing_on(index, needs, target.id)
      if #missing > 0 then
        return pp.deny(
          ("%s (%s) needs %s on the same tenant, and tenant %s lacks %s"):format(
            sub.id, sub.product, labels_of(needs), tenant_label(target), missing_text(state, index, missing, target.id)),
          ("first %s, then move %s there"):format(activation_steps(state, missing, target), sub.id))
      end
      return pp.allow(("tenant %s has %s active, which %s needs"):format(tenant_label(target), labels_of(needs), sub.product))
    end,

    ["benefit.redeem"] = function(req, state, ctx)
      local benefit = req.benefit
      local needs = prerequisites(ctx.params, benefit.product)
      if needs == nil then
        return nil -- not a Copilot benefit
      end
      local index = active_index(state)
      local tenant = req.tenant
      if tenant == nil then
        local ready = ready_tenants(state, index, needs)
        if #ready == 0 then
          local first = state.tenants[1]
          local remedy
          if first ~= nil then
            remedy = ("activate the prerequisites on one tenant, for example %s, then redeem %s there"):format(
              activation_steps(state, missing_on(index, needs, first.id), first), benefit.id)
          else
            remedy = ("activate %s on one tenant, then redeem %s there"):format(labels_of(needs), benefit.id)
          end
          return pp.deny(
            ("%s benefit %s needs %s active on the same tenant, and no tenant has them all"):format(
              benefit.product, benefit.id, labels_of(needs)),
            remedy)
        end
        if #ready == #state.tenants then
          return pp.allow(
            ("every tenant has %s active, which %s needs"):format(labels_of(needs), benefit.product))
        end
        return pp.condition(
          ("the tenant must have %s active: %s"):format(labels_of(needs), table.concat(ready, "; ")))
      end

      local missing = missing_on(index, needs, tenant.id)
      if #missing > 0 then
        local remedy = ("first %s, then redeem %s on %s (all Copilot prerequisites must be on the same tenant)"):format(
          activation_steps(state, missing, tenant), benefit.id, tenant.id)
        local ready = ready_tenants(state, index, needs)
        if #ready > 0 then
          remedy = remedy .. ("; or redeem %s on %s, where they are all active"):format(
            benefit.id, table.concat(ready, "; "))
        end
        return pp.deny(
          ("%s benefit %s needs %s on tenant %s; missing there: %s"):format(
            benefit.product, benefit.id, labels_of(needs), tenant_label(tenant), missing_text(state, index, missing, tenant.id)),
          remedy)
      end
      local shown = {}
      for _, need in ipairs(needs) do
        local id, product = active_on(index, need.products, tenant.id)
        shown[#shown + 1] = ("%s (%s)"):format(product, id)
      end
      return pp.allow(
        ("tenant %s has %s active, which %s needs"):format(
          tenant_label(tenant), table.concat(shown, " and "), benefit.product))
    end,
  },
}
