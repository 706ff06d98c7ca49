-- policies/lib/billing.lua: which MCA billing account a benefit belongs to, and how to name it.
-- Policies read it as lib.billing (read-only).

local billing = {}

-- The partner's purchase billing account (the first marked purchase_account), or nil.
function billing.purchase_account(state)
  for _, account in ipairs(state.billing_accounts) do
    if account.purchase_account then
      return account
    end
  end
  return nil
end

-- The billing account a keyless benefit is bound to: its own `billing_account`, else the
-- partner's purchase billing account. Returns the account node (or nil) and its id (or nil).
function billing.benefit_account(state, benefit)
  if benefit.billing_account ~= nil then
    return pp.find(state.billing_accounts, benefit.billing_account), benefit.billing_account
  end
  local account = billing.purchase_account(state)
  if account ~= nil then
    return account, account.id
  end
  return nil, nil
end

-- "BA-1 (Contoso Ltd)", or `none` when the account is nil. (The host checks that every billing
-- account id in the state names an account, so a nil account is one that is not recorded at all.)
function billing.account_label(account, none)
  if account == nil then
    return none
  end
  return ("%s (%s)"):format(account.id, account.name)
end

-- The association record of `tenant_id` with the account (billing_management, provisioning),
-- or nil when the tenant is not associated.
function billing.association(account, tenant_id)
  if account == nil then
    return nil
  end
  for _, association in ipairs(account.associated_tenants) do
    if association.tenant == tenant_id then
      return association
    end
  end
  return nil
end

-- Whether `tenant_id` is associated with the account with billing management enabled (false
-- when the account is nil).
function billing.billing_managed(account, tenant_id)
  if account == nil then
    return false
  end
  for _, association in ipairs(account.associated_tenants) do
    if association.tenant == tenant_id and association.billing_management then
      return true
    end
  end
  return false
end

-- The billing account a modernized (keyless) subscription belongs to: its benefit's billing
-- account, else the purchase billing account. Returns the account node (or nil) and its id.
function billing.subscription_account(state, sub)
  local benefit = sub.benefit ~= nil and pp.find(state.cloud_benefits, sub.benefit) or nil
  if benefit ~= nil then
    return billing.benefit_account(state, benefit)
  end
  local account = billing.purchase_account(state)
  if account ~= nil then
    return account, account.id
  end
  return nil, nil
end

return billing
