-- policies/lib/billing.lua: which MCA billing account a benefit belongs to, and how to name it.
-- Policies read it as lib.billing (read-only).

local billing = {}

-- The billing account a keyless benefit is bound to: its own `billing_account`, else the
-- partner's purchase billing account. Returns the account node (or nil) and its id (or nil).
function billing.benefit_account(state, benefit)
  if benefit.billing_account ~= nil then
    return pp.find(state.billing_accounts, benefit.billing_account), benefit.billing_account
  end
  for _, account in ipairs(state.billing_accounts) do
    if account.purchase_account then
      return account, account.id
    end
  end
  return nil, nil
end

-- "BA-1 (Contoso Ltd)", or the id alone when the account or its name is unknown.
function billing.account_label(account, account_id)
  if account ~= nil and account.name ~= nil then
    return ("%s (%s)"):format(account.id, account.name)
  end
  return tostring(account_id)
end

-- The association record of `tenant_id` with the account (billing_management, provisioning),
-- or nil when the tenant is not associated.
function billing.association(account, tenant_id)
  if account == nil or account.associated_tenants == nil then
    return nil
  end
  for _, association in ipairs(account.associated_tenants) do
    if association.tenant == tenant_id then
      return association
    end
  end
  return nil
end

return billing
