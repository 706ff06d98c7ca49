-- policies/effects/credits.lua: what the Azure credit actions change in the partner state.
--
-- Each function gets the request, the state and ctx (ctx.as_of) like a rule's decide, and
-- returns the change as a list of JSON Patch operations (docs/policy-api.md "Effects"). Whether
-- the action is allowed is for the rules; an effect says only what doing it records.

local function today(ctx)
  return pp.date_string(ctx.as_of)
end

-- The tenant a new record belongs to when nothing in the request names one: the actor's home
-- tenant, else the state's first tenant.
local function default_tenant(state, actor)
  if actor ~= nil then
    return actor.tenant
  end
  return state.tenants[1].id
end

-- The id of the user the request names. A new e-mail is a user added in Partner Center first
-- ("Add a new user", seed 001): the operation adding them, with no roles, goes into `ops`.
local function user_id(req, state, ops)
  local user = req.user
  if not user.is_new then
    return user.id
  end
  local id = lib.new_ids.user(state, user.email)
  ops[#ops + 1] = {
    op = "add",
    path = "/users/-",
    value = {
      id = id,
      email = user.email,
      tenant = default_tenant(state, req.actor),
      partner_center_roles = {},
      billing_roles = {},
    },
  }
  return id
end

-- Using a Not Redeemed credit redeems it: the status Redeemed, and the day it was activated
-- (seed 001: the assigned user finishes redemption, which activates the benefit; a Redeemed
-- credit always records its activation, docs/state-format.md).
local function redeemed_by_use(credit, ops, ctx)
  if credit.status == "not_redeemed" then
    ops[#ops + 1] = { op = "replace", path = pp.pointer(credit) .. "/status", value = "redeemed" }
    if credit.activated_on == nil then
      ops[#ops + 1] = { op = "add", path = pp.pointer(credit) .. "/activated_on", value = today(ctx) }
    end
  end
end

-- credit.assign and credit.reassign record the same event: an `assigned` entry in the history,
-- which makes the user the credit's holder (a reassignment when the user differs from the last
-- one assigned; docs/state-format.md). An assignment leaves the status as it is: a Not Redeemed
-- credit stays so until its user redeems it (credit.use).
local function assign(req, state, ctx)
  local credit = req.credit
  local ops = {}
  local user = user_id(req, state, ops)
  ops[#ops + 1] = {
    op = "add",
    path = pp.pointer(credit) .. "/assignments/-",
    value = { event = "assigned", user = user, on = today(ctx) },
  }
  return ops
end

---@type Effects
return {
  ["credit.assign"] = assign,
  ["credit.reassign"] = assign,

  -- Activation starts the credit's benefit: the day it starts (and so the 13 months of a
  -- monthly credit), and the status Active.
  ["credit.activate"] = function(req, state, ctx)
    local credit = req.credit
    return {
      { op = "add", path = pp.pointer(credit) .. "/activated_on", value = today(ctx) },
      { op = "replace", path = pp.pointer(credit) .. "/status", value = "active" },
    }
  end,

  -- Using a credit on `new` redeems it, which creates a new Azure sponsorship in the tenant of
  -- the user who holds the credit (else the actor's, else the first); on an existing
  -- subscription it records the credit there.
  ["credit.use"] = function(req, state, ctx)
    local credit = req.credit
    local target = req.azure_subscription
    if not target.is_new then
      if credit.azure_subscription == target.id then
        return {} -- already recorded there
      end
      local ops = { { op = "add", path = pp.pointer(credit) .. "/azure_subscription", value = target.id } }
      redeemed_by_use(credit, ops, ctx)
      return ops
    end
    local holder = pp.assigned_user(credit)
    local tenant = holder ~= nil and pp.find(state.users, holder).tenant or default_tenant(state, req.actor)
    local id = lib.new_ids.free(state.azure_subscriptions, "AZ-" .. credit.id)
    local ops = {
      {
        op = "add",
        path = "/azure_subscriptions/-",
        value = {
          id = id,
          name = "Azure sponsorship of credit " .. credit.id,
          tenant = tenant,
          type = "sponsorship",
          created_on = today(ctx),
          credit = credit.id,
        },
      },
      { op = "add", path = pp.pointer(credit) .. "/azure_subscription", value = id },
    }
    redeemed_by_use(credit, ops, ctx)
    return ops
  end,

  -- Consolidating records each credit on the one subscription.
  ["credits.consolidate"] = function(req, state, ctx)
    local sub = req.azure_subscription
    local ops = {}
    for _, credit in ipairs(req.credits) do
      if credit.azure_subscription ~= sub.id then
        ops[#ops + 1] = { op = "add", path = pp.pointer(credit) .. "/azure_subscription", value = sub.id }
      end
    end
    return ops
  end,
}
