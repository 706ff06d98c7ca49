-- The tenant a benefit is redeemed on is cloud.tenant-in-billing-account's to judge, so that
-- nothing is reported twice.

local billing = lib.billing
local tenant_label = lib.text.tenant
local account_label = billing.account_label

-- What the remedy offers instead of a transfer to `target`: associate the tenants of the target
-- account with the benefit's own account.
local function stay_remedy(state, benefit, own, target)
  local tenants = {}
  for _, tenant in ipairs(state.tenants) do
    if billing.billing_managed(target, tenant.id) then
      tenants[#tenants + 1] = tenant_label(tenant)
    end
  end
  local f = { benefit = benefit.id, own = own.id, own_label = account_label(own),
    target = account_label(target), tenants = table.concat(tenants, "; ") }
  f.where = #tenants > 0 and pp.say("use_in_target", f) or pp.say("use_elsewhere", f)
  return pp.say("keep", f)
end

---@type Rule
return {
  id = "cloud.no-billing-account-transfer",
  severity = "error",
  source = { seed = "002_013589e162925edb.txt",
             section = "Can I transfer benefits from one billing account to another?" },
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
        local f = { benefit = benefit.id, product = benefit.product, own = own.id,
          own_label = account_label(own), purchase = purchase.id, purchase_label = account_label(purchase) }
        ctx.report{ at = benefit, message = pp.say("bound_elsewhere", f), remedy = pp.say("bring_back", f) }
      end
    end
    for _, sub in ipairs(state.subscriptions) do
      local benefit = sub.benefit ~= nil and pp.find(state.cloud_benefits, sub.benefit) or nil
      if benefit ~= nil and benefit.redemption == "keyless" and sub.tenant ~= benefit.tenant then
        local account = billing.benefit_account(state, benefit)
        if account ~= nil and not billing.billing_managed(account, sub.tenant) then
          local f = { sub = sub.id, benefit = benefit.id, tenant_id = sub.tenant,
            tenant = tenant_label(pp.find(state.tenants, sub.tenant)), account_label = account_label(account),
            account = account.id }
          ctx.report{ at = sub, message = pp.say("outside", f), remedy = pp.say("associate_or_back", f) }
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
      local own, target = billing.benefit_account(state, benefit), req.billing_account
      if own == nil then
        return pp.deny(pp.say("no_own", { benefit = benefit.id }), pp.say("record_own", { benefit = benefit.id }))
      end
      local same = target ~= nil and target.id == own.id
      local f = { benefit = benefit.id, own = account_label(own) }
      if target == nil and #state.billing_accounts == 1 then
        return pp.allow(pp.say("only_account", f))
      elseif target == nil then
        return pp.condition(pp.say("must_be_own", f), { billing_account = own.id })
      elseif same then
        return pp.allow(pp.say("already_bound", f), { billing_account = own.id })
      end
      f.target = account_label(target)
      return pp.deny(pp.say("no_transfer", f), stay_remedy(state, benefit, own, target))
    end,
  },
}
