-- policies/cloud/tenant_in_billing_account.lua
--
-- A keyless (modernized) cloud benefit is bound to the MCA billing account it was bought with and
-- can be redeemed only on a tenant associated with that account. The association must have
-- billing management enabled (required); provisioning is recommended, so a tenant without it is
-- accepted with a warning.
--
-- The same binding governs where the benefit is used: a license of its subscription goes only to
-- a user whose tenant is associated with the account (the admin switches to that tenant's context
-- to assign it). Moving the subscription itself is cloud.move-only-unassigned's.

local billing = lib.billing
local tenant_label = lib.text.tenant

-- How a benefit's billing account is named when neither it nor a purchase account is recorded.
local NO_ACCOUNT = "the purchase MCA billing account (none is recorded)"

-- "ok", "no_provisioning", "no_billing_management" or "not_associated".
local function standing(account, tenant_id)
  local entry = billing.association(account, tenant_id)
  if entry == nil then
    return "not_associated"
  end
  if not entry.billing_management then
    return "no_billing_management"
  end
  if not entry.provisioning then
    return "no_provisioning"
  end
  return "ok"
end

-- The Azure portal steps of seed 002, for one tenant and account.
local function association_steps(tenant, account_text, fix)
  return ("a Billing account owner signs in to the Azure portal, opens Cost Management + Billing > %s > "
    .. "Access control (IAM) > Associated billing tenants and %s tenant %s, with Billing management "
    .. "(required) and Provisioning (recommended) enabled; allow time for the permissions to sync"):format(
    account_text, fix, tenant_label(tenant))
end

-- Labels of the state's tenants whose standing on the account is acceptable (billing
-- management enabled), in document order; those without provisioning are marked.
local function eligible_tenants(state, account)
  local labels = {}
  for _, tenant in ipairs(state.tenants) do
    local s = standing(account, tenant.id)
    if s == "ok" then
      labels[#labels + 1] = tenant_label(tenant)
    elseif s == "no_provisioning" then
      labels[#labels + 1] = tenant_label(tenant) .. ", without provisioning"
    end
  end
  return labels
end

-- Why a user may not hold a license of a modernized subscription bound to `account`: nil when
-- the user's tenant is associated with billing management, else the standing.
local function user_standing(account, user)
  local s = standing(account, user.tenant)
  if s == "ok" or s == "no_provisioning" then
    return nil
  end
  return s
end

-- "alice@contoso.com (user of T-LAB (contosolab.onmicrosoft.com))".
local function user_in_tenant(state, user)
  return ("%s, a user of tenant %s"):format(user.email, tenant_label(pp.find(state.tenants, user.tenant)))
end

---@type Rule
return {
  id = "cloud.tenant-in-billing-account",
  title = "Keyless cloud benefits are redeemed and used only on tenants associated with their MCA billing account",
  severity = "error",
  source = { seed = "002_013589e162925edb.txt",
             section = "Can I choose which tenant receives the benefit?" },
  description = "A keyless (modernized) cloud benefit is bound to the MCA billing account it was bought "
    .. "with (the benefit's billing_account, else the purchase billing account) and can be redeemed only "
    .. "on a tenant associated with that account in billing_accounts[].associated_tenants (seed 002, 'Can "
    .. "I choose which tenant receives the benefit?', 'Can I use my benefits across multiple tenants?' and "
    .. "'How do I set up a tenant for multi-tenant benefit activation?'). The association needs Billing "
    .. "management enabled; Provisioning is recommended. decide benefit.redeem (keyless only; product keys "
    .. "have no tenant restriction): a tenant that is not associated, or associated without billing "
    .. "management, is denied with the Azure portal steps that associate it; without provisioning the "
    .. "redemption is allowed and the message says provisioning is recommended. Without a tenant the answer "
    .. "names the eligible tenants (a condition; allowed when every tenant is eligible, denied when none "
    .. "is). decide license.assign on a modernized subscription (its benefit's billing account, else the "
    .. "purchase account; seed 002 'How do I redeem a cloud benefit in one tenant and use it in another "
    .. "tenant?': switch tenant context and assign licenses to users in the associated tenant; benefits "
    .. "cannot be used in tenants that are not associated): a user whose home tenant is not associated "
    .. "with billing management is denied with the association steps; without a user, the condition names "
    .. "the users outside the account (allowed when there are none, denied when every user is); no say on "
    .. "product-key subscriptions. check reports a redeemed keyless benefit whose tenant is not associated "
    .. "or lacks billing management (error), or lacks provisioning (severity provisioning_severity), and "
    .. "each assigned_users entry of a modernized subscription whose tenant is not associated with billing "
    .. "management with the subscription's account (error).",
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
        local where = ("keyless benefit %s (%s) is redeemed on tenant %s"):format(
          benefit.id, benefit.product, tenant_label(tenant))
        local account_text = billing.account_label(account, NO_ACCOUNT)
        if s == "not_associated" then
          ctx.report{
            at = benefit,
            message = ("%s, which is not associated with its billing account %s"):format(where, account_text),
            remedy = association_steps(tenant, account_text, "adds"),
          }
        elseif s == "no_billing_management" then
          ctx.report{
            at = benefit,
            message = ("%s, whose association with billing account %s does not have billing management enabled"):format(
              where, account_text),
            remedy = association_steps(tenant, account_text, "edits"),
          }
        elseif s == "no_provisioning" then
          ctx.report{
            at = benefit,
            severity = ctx.params.provisioning_severity,
            message = ("%s, whose association with billing account %s does not have provisioning enabled (recommended)"):format(
              where, account_text),
            remedy = association_steps(tenant, account_text, "edits"),
          }
        end
      end
    end
    for _, sub in ipairs(state.subscriptions) do
      if sub.model == "modernized" and sub.assigned_users ~= nil then
        local account = billing.subscription_account(state, sub)
        local account_text = billing.account_label(account, NO_ACCOUNT)
        for _, user_id in ipairs(sub.assigned_users) do
          local user = pp.find(state.users, user_id)
          local s = user_standing(account, user)
          if s ~= nil then
            local tenant = pp.find(state.tenants, user.tenant)
            ctx.report{
              at = sub,
              message = ("%s, holds a license of modernized subscription %s (%s), but that tenant is %s billing account %s"):format(
                user_in_tenant(state, user), sub.id, sub.product,
                s == "not_associated" and "not associated with" or "associated without billing management with",
                account_text),
              remedy = ("unassign the license of %s, or: %s"):format(
                user.email, association_steps(tenant, account_text, s == "not_associated" and "adds" or "edits")),
            }
          end
        end
      end
    end
  end,

  decide = {
    ["license.assign"] = function(req, state, ctx)
      local sub = req.subscription
      if sub.model ~= "modernized" then
        return nil -- product-key subscriptions are bound to no billing account
      end
      local account, account_id = billing.subscription_account(state, sub)
      local account_text = billing.account_label(account, NO_ACCOUNT)
      local user = req.user

      if user == nil then
        local outside = {}
        for _, u in ipairs(state.users) do
          if user_standing(account, u) ~= nil then
            outside[#outside + 1] = u.email
          end
        end
        if #outside == 0 then
          return pp.allow(
            ("every user is in a tenant associated with billing account %s, to which subscription %s belongs"):format(
              account_text, sub.id))
        end
        if #outside == #state.users then
          return pp.deny(
            ("no user is in a tenant associated with billing management with billing account %s, to which modernized subscription %s belongs"):format(
              account_text, sub.id),
            ("a Billing account owner associates the users' tenant with %s in the Azure portal (Cost Management + Billing > "
              .. "Access control (IAM) > Associated billing tenants > Add), with Billing management (required) enabled"):format(
              account_text))
        end
        return pp.condition(
          ("the user must be in a tenant associated with billing account %s with billing management enabled (not %s)"):format(
            account_text, table.concat(outside, ", ")),
          { billing_account = account_id })
      end

      local tenant = pp.find(state.tenants, user.tenant)
      local s = user_standing(account, user)
      if s ~= nil then
        return pp.deny(
          ("%s, which is %s billing account %s; licenses of modernized subscription %s are used only in tenants associated with that account"):format(
            user_in_tenant(state, user),
            s == "not_associated" and "not associated with" or "associated without billing management with",
            account_text, sub.id),
          association_steps(tenant, account_text, s == "not_associated" and "adds" or "edits")
            .. "; then switch to that tenant's context in the Microsoft 365 admin center and assign the license")
      end
      local where = ""
      if user.tenant ~= sub.tenant then
        where = (" (switch to that tenant's context in the Microsoft 365 admin center to assign it)")
      end
      return pp.allow(
        ("%s, which is associated with billing account %s, to which subscription %s belongs%s"):format(
          user_in_tenant(state, user), account_text, sub.id, where),
        { billing_account = account_id })
    end,

    ["benefit.redeem"] = function(req, state, ctx)
      local benefit = req.benefit
      if benefit.redemption ~= "keyless" then
        return nil -- product keys can be redeemed on any tenant
      end
      local account, account_id = billing.benefit_account(state, benefit)
      local account_text = billing.account_label(account, NO_ACCOUNT)
      local tenant = req.tenant

      if tenant == nil then
        local eligible = eligible_tenants(state, account)
        if #eligible == 0 then
          return pp.deny(
            ("no tenant is associated with billing management enabled with billing account %s, to which keyless benefit %s is bound"):format(
              account_text, benefit.id),
            ("a Billing account owner associates the tenant that should receive %s with %s in the Azure portal "
              .. "(Cost Management + Billing > Access control (IAM) > Associated billing tenants > Add), with Billing "
              .. "management (required) and Provisioning (recommended) enabled"):format(benefit.id, account_text))
        end
        if #eligible == #state.tenants then
          return pp.allow(
            ("every tenant is associated with billing account %s, to which keyless benefit %s is bound: %s"):format(
              account_text, benefit.id, table.concat(eligible, "; ")))
        end
        return pp.condition(
          ("the tenant must be associated with billing account %s with billing management enabled: %s"):format(
            account_text, table.concat(eligible, "; ")),
          { billing_account = account_id })
      end

      local s = standing(account, tenant.id)
      if s == "not_associated" then
        return pp.deny(
          ("tenant %s is not associated with billing account %s, so keyless benefit %s cannot be redeemed on it"):format(
            tenant_label(tenant), account_text, benefit.id),
          association_steps(tenant, account_text, "adds"))
      elseif s == "no_billing_management" then
        return pp.deny(
          ("tenant %s is associated with billing account %s without billing management, which redeeming keyless benefit %s requires"):format(
            tenant_label(tenant), account_text, benefit.id),
          association_steps(tenant, account_text, "edits"))
      elseif s == "no_provisioning" then
        return pp.allow(
          ("tenant %s is associated with billing account %s with billing management, but provisioning is not enabled (recommended: "
            .. "a Billing account owner enables it under Access control (IAM) > Associated billing tenants)"):format(
            tenant_label(tenant), account_text),
          { billing_account = account_id, provisioning = "not enabled" })
      end
      return pp.allow(
        ("tenant %s is associated with billing account %s, to which keyless benefit %s is bound"):format(
          tenant_label(tenant), account_text, benefit.id),
        { billing_account = account_id })
    end,
  },
}
