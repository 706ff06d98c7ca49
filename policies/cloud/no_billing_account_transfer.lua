-- policies/cloud/no_billing_account_transfer.lua
--
-- A keyless (modernized) cloud benefit stays on the MCA billing account used to buy the
-- membership: it never moves to another billing account (the billing account cannot be changed
-- during redemption either), and it is never used on a tenant outside that account.
--
-- Division of work with cloud.tenant-in-billing-account: that rule judges the tenant a benefit is
-- redeemed on; this one reports a benefit bound to another billing account than the purchase one,
-- and a subscription of a keyless benefit that now lives on a tenant other than the one the
-- benefit was redeemed on, outside the account (moved there), so nothing is reported twice.

local billing = lib.billing
local tenant_label = lib.text.tenant

-- "BA-1 (Contoso Ltd)" of an account node.
local function account_label(account)
  return billing.account_label(account)
end

local function associated_labels(state, account)
  local labels = {}
  for _, tenant in ipairs(state.tenants) do
    if billing.billing_managed(account, tenant.id) then
      labels[#labels + 1] = tenant_label(tenant)
    end
  end
  return labels
end

-- What the remedy offers instead of a transfer to `target`: associate the tenants of the target
-- account with the benefit's own account.
local function stay_remedy(state, benefit, own, target)
  local tenants = associated_labels(state, target)
  local where
  if #tenants > 0 then
    where = ("to use it in a tenant of %s (%s), a Billing account owner associates that tenant with %s "
      .. "(Azure portal: Cost Management + Billing > %s > Access control (IAM) > Associated billing tenants) "
      .. "and the benefit is redeemed or its subscription moved there"):format(
      account_label(target), table.concat(tenants, "; "), own.id, own.id)
  else
    where = ("to use it in another tenant, a Billing account owner associates that tenant with %s (Azure portal: "
      .. "Cost Management + Billing > %s > Access control (IAM) > Associated billing tenants)"):format(own.id, own.id)
  end
  return ("keep benefit %s on billing account %s; %s"):format(benefit.id, account_label(own), where)
end

---@type Rule
return {
  id = "cloud.no-billing-account-transfer",
  title = "Keyless cloud benefits never leave the billing account they were bought with",
  severity = "error",
  source = { seed = "002_013589e162925edb.txt",
             section = "Can I transfer benefits from one billing account to another?" },
  description = "A keyless (modernized) cloud benefit stays on the MCA billing account used to buy the "
    .. "membership (the benefit's billing_account, else the purchase billing account): it cannot move to "
    .. "another billing account, the billing account cannot be changed during redemption, and the benefit "
    .. "cannot be used on unrelated or third-party tenants (seed 002, 'Can I transfer benefits from one "
    .. "billing account to another?', 'Can I use my benefits across multiple tenants?', 'Why can't I change "
    .. "the billing account during cloud benefit redemption?'). decide benefit.transfer: to another billing "
    .. "account is denied, to its own account is allowed (nothing moves); without a target account the "
    .. "answer is the condition that it be the benefit's own account. Product-key benefits are bound to no "
    .. "billing account: no say. check reports a keyless benefit bound to a billing account that is not the "
    .. "purchase account, and a subscription of a keyless benefit that lives on a tenant other than the one "
    .. "the benefit was redeemed on and not associated (with billing management) with the benefit's "
    .. "account; the tenant of the redemption itself is cloud.tenant-in-billing-account's.",
  params = {},
  constrains = { "cloud_benefits.billing_account", "subscriptions.tenant" },
  no_say = {
    ["benefit.redeem"] = "the tenant a benefit is redeemed on is cloud.tenant-in-billing-account's to decide, and a redemption keeps the billing account",
    ["subscription.move"] = "cloud.move-only-unassigned decides moves, and refuses a modernized subscription any tenant outside its billing account",
  },

  check = function(state, ctx)
    local purchase = billing.purchase_account(state)
    for _, benefit in ipairs(state.cloud_benefits) do
      if benefit.redemption == "keyless" and benefit.billing_account ~= nil and purchase ~= nil
         and benefit.billing_account ~= purchase.id then
        local own = pp.find(state.billing_accounts, benefit.billing_account)
        ctx.report{
          at = benefit,
          message = ("keyless benefit %s (%s) is bound to billing account %s, not to the purchase billing account %s "
            .. "it was bought with; benefits cannot move between billing accounts"):format(
            benefit.id, benefit.product, account_label(own), account_label(purchase)),
          remedy = ("check the record: if %s was moved or redeemed against %s, contact Partner Center support to "
            .. "bring it back to %s; use other tenants by associating them with %s"):format(
            benefit.id, own.id, purchase.id, purchase.id),
        }
      end
    end
    for _, sub in ipairs(state.subscriptions) do
      local benefit = sub.benefit ~= nil and pp.find(state.cloud_benefits, sub.benefit) or nil
      if benefit ~= nil and benefit.redemption == "keyless" and sub.tenant ~= benefit.tenant then
        local account = billing.benefit_account(state, benefit)
        if account ~= nil and not billing.billing_managed(account, sub.tenant) then
          local tenant = pp.find(state.tenants, sub.tenant)
          ctx.report{
            at = sub,
            message = ("subscription %s of keyless benefit %s is on tenant %s, which is not associated with billing "
              .. "account %s; benefits cannot be used on tenants outside their billing account"):format(
              sub.id, benefit.id, tenant_label(tenant), account_label(account)),
            remedy = ("a Billing account owner associates tenant %s with %s (Azure portal: Cost Management + Billing > "
              .. "%s > Access control (IAM) > Associated billing tenants, Billing management enabled), or %s is moved "
              .. "back to a tenant associated with %s"):format(sub.tenant, account.id, account.id, sub.id, account.id),
          }
        end
      end
    end
  end,

  decide = {
    ["benefit.transfer"] = function(req, state, ctx)
      local benefit = req.benefit
      if benefit.redemption ~= "keyless" then
        return nil -- product keys are not bound to a billing account
      end
      local own = billing.benefit_account(state, benefit)
      local target = req.billing_account
      if own == nil then
        return pp.deny(
          ("keyless benefit %s stays on the billing account it was bought with, and no billing account in the state is that one"):format(
            benefit.id),
          ("record the purchase MCA billing account of %s; benefits never move to another billing account"):format(benefit.id))
      end
      if target == nil then
        if #state.billing_accounts == 1 then
          return pp.allow(
            ("%s is the only billing account, and keyless benefit %s is already bound to it; nothing moves"):format(
              account_label(own), benefit.id))
        end
        return pp.condition(
          ("the billing account must be %s, to which keyless benefit %s is bound: benefits never move to another billing account"):format(
            account_label(own), benefit.id),
          { billing_account = own.id })
      end
      if target.id == own.id then
        return pp.allow(
          ("keyless benefit %s is already bound to billing account %s; nothing moves"):format(benefit.id, account_label(own)),
          { billing_account = own.id })
      end
      return pp.deny(
        ("keyless benefit %s is bound to billing account %s and cannot be transferred to %s; benefits never move between billing accounts"):format(
          benefit.id, account_label(own), account_label(target)),
        stay_remedy(state, benefit, own, target))
    end,
  },
}
