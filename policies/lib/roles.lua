-- policies/lib/roles.lua: Partner Center and billing roles in the words of the documents.
-- Policies read it as lib.roles (read-only).

local NAMES = {
  -- Partner Center roles (users[].partner_center_roles)
  partner_admin = "Microsoft AI Cloud Partner Program partner admin",
  global_admin = "global admin",
  user_admin = "user admin",
  account_admin = "account admin",
  billing_admin = "billing admin",
  referrals_admin = "referrals admin",
  incentives_admin = "incentives admin",
  -- Billing roles on an MCA billing account (users[].billing_roles[].role)
  billing_account_owner = "Billing account owner",
  billing_account_contributor = "Billing account contributor",
  billing_account_reader = "Billing account reader",
  billing_profile_owner = "Billing profile owner",
  billing_profile_contributor = "Billing profile contributor",
  invoice_manager = "Invoice manager",
}

local roles = {}

-- "Billing account owner" for "billing_account_owner"; an unknown role is shown as written.
function roles.name(role)
  return NAMES[role] or role
end

-- "a, b or c" of the roles' names; `none` (default "(no role configured)") for an empty list.
function roles.list(list, none)
  local names = {}
  for _, role in ipairs(list) do
    names[#names + 1] = roles.name(role)
  end
  return lib.text.join(names, "or", none or "(no role configured)")
end

-- Whether the user (a state node) holds the Partner Center role.
function roles.has_partner_center_role(user, role)
  return user.partner_center_roles ~= nil and pp.contains(user.partner_center_roles, role)
end

-- The first of `wanted` (in that order) that the user holds on billing account `account_id`,
-- or nil.
function roles.billing_role_on(user, account_id, wanted)
  if account_id == nil or user.billing_roles == nil then
    return nil
  end
  for _, role in ipairs(wanted) do
    for _, held in ipairs(user.billing_roles) do
      if held.billing_account == account_id and held.role == role then
        return role
      end
    end
  end
  return nil
end

return roles
