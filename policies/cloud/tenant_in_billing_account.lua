local billing = lib.billing
local tenant_label = lib.text.tenant

-- "ok", "no_provisioning", "no_billing_management" or "not_associated".
local function standing(account, tenant_id)
  local entry = billing.association(account, tenant_id)
  if entry == nil then
    return "not_associated"
  end
  return not entry.billing_management and "no_billing_management"
    or not entry.provisioning and "no_provisioning" or "ok"
end

-- The Azure portal steps of seed 002, for one tenant and account: the association is added
-- when missing, else edited.
local function association_steps(tenant, account_text, s)
  return pp.say("steps", { account = account_text, tenant = tenant_label(tenant),
    fix = s == "not_associated" and "adds" or "edits" })
end

-- How a user's tenant stands with the account, for messages.
local function relation(s)
  return s == "not_associated" and pp.say("not_associated_with") or pp.say("without_billing_management")
end

-- Why a user may not hold a license of a modernized subscription bound to `account`: nil when
-- the user's tenant is associated with billing management, else the standing.
local function user_standing(account, user)
  local s = standing(account, user.tenant)
  return s ~= "ok" and s ~= "no_provisioning" and s or nil
end

local function user_in_tenant(state, user)
  return pp.say("user_in_tenant", { email = user.email,
    tenant = tenant_label(pp.find(state.tenants, user.tenant)) })
end

local function account_label(account)
  return billing.account_label(account, pp.say("no_account"))
end

---@type Rule
return {
  id = "cloud.tenant-in-billing-account",
  severity = "error",
  source = { seed = "002_013589e162925edb.txt",
             section = "Can I choose which tenant receives the benefit?" },
  params = { provisioning_severity = "warning" },
  constrains = { "cloud_benefits.tenant", "cloud_benefits.billing_account", "billing_accounts.associated_tenants" },
  no_say = {
    ["benefit.transfer"] = "cloud.no-billing-account-transfer keeps a keyless benefit on its billing account, and product-key benefits have no tenant restriction",
  },

  check = function(state, ctx)
    for _, benefit in ipairs(state.cloud_benefits) do
      if benefit.redemption == "keyless" and benefit.status == "redeemed" and benefit.tenant ~= nil then
        local account = billing.benefit_account(state, benefit)
        local tenant = pp.find(state.tenants, benefit.tenant)
        local s = standing(account, benefit.tenant)
        local f = { where = pp.say("redeemed_on",
          { benefit = benefit.id, product = benefit.product, tenant = tenant_label(tenant) }) }
        f.account = account_label(account)
        local message = s == "not_associated" and pp.say("benefit_not_associated", f)
          or s == "no_billing_management" and pp.say("benefit_no_billing_management", f)
          or s == "no_provisioning" and pp.say("benefit_no_provisioning", f)
        if message then
          ctx.report{ at = benefit, message = message, remedy = association_steps(tenant, f.account, s),
            severity = s == "no_provisioning" and ctx.params.provisioning_severity or nil }
        end
      end
    end
    for _, sub in ipairs(state.subscriptions) do
      if sub.model == "modernized" and sub.assigned_users ~= nil then
        local account = billing.subscription_account(state, sub)
        local account_text = account_label(account)
        for _, user_id in ipairs(sub.assigned_users) do
          local user = pp.find(state.users, user_id)
          local s = user_standing(account, user)
          if s ~= nil then
            local tenant = pp.find(state.tenants, user.tenant)
            ctx.report{ at = sub,
              message = pp.say("holds_license", { user = user_in_tenant(state, user), sub = sub.id,
                product = sub.product, relation = relation(s), account = account_text }),
              remedy = pp.say("unassign_or", { email = user.email,
                steps = association_steps(tenant, account_text, s) }) }
          end
        end
      end
    end
  end,

  decide = {
    ["license.assign"] = function(req, state, ctx)
      local sub, user = req.subscription, req.user
      if sub.model ~= "modernized" then
        return nil -- product-key subscriptions are bound to no billing account
      end
      local account, account_id = billing.subscription_account(state, sub)
      local f = { account = account_label(account), sub = sub.id }
      if user == nil then
        local outside = {}
        for _, u in ipairs(state.users) do
          if user_standing(account, u) ~= nil then
            outside[#outside + 1] = u.email
          end
        end
        f.outside = table.concat(outside, ", ")
        if #outside == 0 then
          return pp.allow(pp.say("every_user", f))
        elseif #outside == #state.users then
          return pp.deny(pp.say("no_user", f), pp.say("associate_users", f))
        end
        return pp.condition(pp.say("user_must", f), { billing_account = account_id })
      end
      local tenant = pp.find(state.tenants, user.tenant)
      local s = user_standing(account, user)
      f.user = user_in_tenant(state, user)
      if s ~= nil then
        f.relation = relation(s)
        return pp.deny(pp.say("user_outside", f), pp.say("then_switch",
          { steps = association_steps(tenant, f.account, s) }))
      end
      f.switch = user.tenant ~= sub.tenant and pp.say("switch") or ""
      return pp.allow(pp.say("user_inside", f), { billing_account = account_id })
    end,

    ["benefit.redeem"] = function(req, state, ctx)
      local benefit, tenant = req.benefit, req.tenant
      if benefit.redemption ~= "keyless" then
        return nil -- product keys can be redeemed on any tenant
      end
      local account, account_id = billing.benefit_account(state, benefit)
      local f = { account = account_label(account), benefit = benefit.id }
      if tenant == nil then
        -- The tenants whose association has billing management; those without provisioning marked.
        local eligible = {}
        for _, t in ipairs(state.tenants) do
          local s = standing(account, t.id)
          if s == "ok" or s == "no_provisioning" then
            eligible[#eligible + 1] = tenant_label(t) .. (s == "ok" and "" or pp.say("without_provisioning"))
          end
        end
        f.eligible = table.concat(eligible, "; ")
        if #eligible == 0 then
          return pp.deny(pp.say("no_tenant", f), pp.say("associate_tenant", f))
        elseif #eligible == #state.tenants then
          return pp.allow(pp.say("every_tenant", f))
        end
        return pp.condition(pp.say("tenant_must", f), { billing_account = account_id })
      end
      local s = standing(account, tenant.id)
      f.tenant = tenant_label(tenant)
      if s == "not_associated" or s == "no_billing_management" then
        local message = s == "not_associated" and pp.say("tenant_not_associated", f)
          or pp.say("tenant_no_billing_management", f)
        return pp.deny(message, association_steps(tenant, f.account, s))
      elseif s == "no_provisioning" then
        return pp.allow(pp.say("tenant_no_provisioning", f),
          { billing_account = account_id, provisioning = "not enabled" })
      end
      return pp.allow(pp.say("tenant_ok", f), { billing_account = account_id })
    end,
  },
}
