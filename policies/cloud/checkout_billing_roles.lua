-- policies/cloud/checkout_billing_roles.lua
--
-- The $0 checkout that redeems a keyless (modernized) cloud benefit needs two things of the
-- user who completes it: the Partner Center role "Microsoft AI Cloud Partner Program partner
-- admin", and a billing role (Billing account owner or Billing account contributor) on the MCA
-- billing account the benefit is bound to.

local roles = lib.roles
local billing = lib.billing
local label = lib.text.user

-- "Billing account owner or Billing account contributor" from the configured list.
local function role_list(list)
  return roles.list(list, "(no billing role configured)")
end

-- What the user lacks: a list of missing-role descriptions (empty when none), plus flags.
local function missing_roles(user, account, account_id, params)
  local missing = {}
  local lacks_pc = not roles.has_partner_center_role(user, params.partner_center_role)
  if lacks_pc then
    missing[#missing + 1] = ("the Partner Center role %s"):format(roles.name(params.partner_center_role))
  end
  local lacks_billing = roles.billing_role_on(user, account_id, params.checkout_billing_roles) == nil
  if lacks_billing then
    if account_id == nil then
      missing[#missing + 1] = ("a billing role (%s) on the purchase MCA billing account, and none is recorded"):format(
        role_list(params.checkout_billing_roles))
    else
      missing[#missing + 1] = ("a billing role (%s) on MCA billing account %s"):format(
        role_list(params.checkout_billing_roles), billing.account_label(account))
    end
  end
  return missing, lacks_pc, lacks_billing
end

-- Users (document order) holding `pred`; up to three labels joined, or nil.
local function some_users(state, pred)
  local found = {}
  for _, user in ipairs(state.users) do
    if pred(user) then
      found[#found + 1] = label(user)
      if #found == 3 then
        break
      end
    end
  end
  if #found == 0 then
    return nil
  end
  return table.concat(found, ", ")
end

-- some_users, remembered by `key` for one evaluation: a check writes a remedy for every
-- benefit it reports, and each names the same few users, so the users are read once per key
-- rather than once per finding.
local function user_finder(state)
  local found = {}
  return function(key, pred)
    if found[key] == nil then
      found[key] = some_users(state, pred) or false
    end
    return found[key] or nil
  end
end

-- Who can grant what is missing and, with `alternative`, a user who already has both roles.
-- `find` is a user_finder of the state.
local function remedy(find, who, account, account_id, params, lacks_pc, lacks_billing, alternative)
  local steps = {}
  if lacks_billing then
    local owner_role = "billing_account_owner"
    local owners = account_id ~= nil and find("owners of " .. account_id, function(u)
      return roles.billing_role_on(u, account_id, { owner_role }) ~= nil
    end) or nil
    steps[#steps + 1] = ("a Billing account owner%s assigns %s a billing role on %s in the Microsoft 365 admin center "
      .. "(Billing > Billing accounts > that account > Billing account roles > Assign roles); Billing account "
      .. "contributor is the recommended role for day-to-day purchases"):format(
      owners and (" (" .. owners .. ")") or "", who,
      billing.account_label(account, "the MCA billing account used for the membership purchase"))
  end
  if lacks_pc then
    local admins = find("admins", function(u)
      return roles.has_partner_center_role(u, "partner_admin") or roles.has_partner_center_role(u, "global_admin")
    end)
    steps[#steps + 1] = ("a partner admin or global admin%s gives %s the Partner Center role %s"):format(
      admins and (" (" .. admins .. ")") or "", who, roles.name(params.partner_center_role))
  end
  local text = table.concat(steps, "; and ")
  if not alternative then
    return text
  end
  local ready = find("ready on " .. tostring(account_id), function(u)
    return roles.has_partner_center_role(u, params.partner_center_role)
      and roles.billing_role_on(u, account_id, params.checkout_billing_roles) ~= nil
  end)
  if ready ~= nil then
    text = text .. ("; or let a user who already has both complete the checkout (%s)"):format(ready)
  end
  return text
end

---@type Rule
return {
  id = "cloud.checkout-billing-roles",
  title = "Only a partner admin with a billing role on the billing account completes a $0 benefit checkout",
  severity = "error",
  source = { seed = "002_013589e162925edb.txt",
             section = "Who can complete a $0 cloud benefit purchase in the Microsoft 365 admin center?" },
  description = "Redeeming a keyless (modernized) cloud benefit ends in a $0 checkout that the user can "
    .. "complete only with both the Partner Center role Microsoft AI Cloud Partner Program partner admin "
    .. "(partner_center_role) and Billing account owner or Billing account contributor "
    .. "(checkout_billing_roles) on the MCA billing account of the benefit (seed 002, 'Who can complete a $0 "
    .. "cloud benefit purchase in the Microsoft 365 admin center?' and 'Why do I see a permissions error when "
    .. "redeeming a $0 benefit?'). The billing account is the benefit's billing_account, or the purchase "
    .. "billing account when the benefit records none; a billing role on another account does not count. "
    .. "decide benefit.redeem: product-key benefits are not this rule's concern; without an actor, or when "
    .. "the actor lacks a role, the redemption is denied naming each missing role and who can grant it. "
    .. "check reports a redeemed keyless benefit whose recorded redeemer lacks a role in the current state "
    .. "(roles are not dated, so a role removed after the redemption also shows).",
  params = {
    checkout_billing_roles = { "billing_account_owner", "billing_account_contributor" },
    partner_center_role = "partner_admin",
  },
  constrains = { "cloud_benefits.redeemed_by", "cloud_benefits.billing_account", "users.partner_center_roles", "users.billing_roles" },
  no_say = {
    ["benefit.transfer"] = "cloud.no-billing-account-transfer keeps a keyless benefit on its billing account, and product-key benefits need no checkout",
    ["credit.assign"] = "a user added by a credit assignment has completed no checkout",
    ["credit.reassign"] = "a user added by a credit reassignment has completed no checkout",
    ["user.modify-roles"] = "the action adds a role, and an added role takes none from a user who completed a checkout",
  },

  check = function(state, ctx)
    local find = user_finder(state)
    for _, benefit in ipairs(state.cloud_benefits) do
      if benefit.redemption == "keyless" and benefit.status == "redeemed" and benefit.redeemed_by ~= nil then
        local user = pp.find(state.users, benefit.redeemed_by)
        if user ~= nil then
          local account, account_id = billing.benefit_account(state, benefit)
          local missing, lacks_pc, lacks_billing = missing_roles(user, account, account_id, ctx.params)
          if #missing > 0 then
            ctx.report{
              at = benefit,
              message = ("benefit %s (%s) is recorded as redeemed by %s, who lacks %s"):format(
                benefit.id, benefit.product, label(user), table.concat(missing, ", and ")),
              remedy = ("check who completed the checkout; if it was %s, "):format(label(user))
                .. remedy(find, label(user), account, account_id, ctx.params, lacks_pc, lacks_billing, false),
            }
          end
        end
      end
    end
  end,

  decide = {
    ["benefit.redeem"] = function(req, state, ctx)
      local benefit = req.benefit
      if benefit.redemption ~= "keyless" then
        return nil -- product keys: no $0 checkout
      end
      local account, account_id = billing.benefit_account(state, benefit)
      local actor = req.actor
      if actor == nil then
        -- Open question (no --as): say who can, or what nobody has yet.
        local ready = some_users(state, function(u)
          return roles.has_partner_center_role(u, ctx.params.partner_center_role)
            and roles.billing_role_on(u, account_id, ctx.params.checkout_billing_roles) ~= nil
        end)
        local needs = ("%s and %s on billing account %s"):format(
          roles.name(ctx.params.partner_center_role), role_list(ctx.params.checkout_billing_roles),
          billing.account_label(account, "(none recorded)"))
        if ready == nil then
          return pp.deny(
            ("no user of this state holds %s, so nobody can complete the $0 checkout for benefit %s"):format(
              needs, benefit.id),
            remedy(user_finder(state), "the user who will complete the checkout", account, account_id, ctx.params, true,
              true, false))
        end
        return pp.condition(
          ("the checkout for benefit %s must be completed by a user holding %s (for example %s)"):format(
            benefit.id, needs, ready))
      end
      local missing, lacks_pc, lacks_billing = missing_roles(actor, account, account_id, ctx.params)
      if #missing > 0 then
        return pp.deny(
          ("%s cannot complete the $0 checkout for benefit %s (%s): missing %s"):format(
            label(actor), benefit.id, benefit.product, table.concat(missing, ", and ")),
          remedy(user_finder(state), label(actor), account, account_id, ctx.params, lacks_pc, lacks_billing, true))
      end
      local held = roles.billing_role_on(actor, account_id, ctx.params.checkout_billing_roles)
      return pp.allow(
        ("%s holds %s and %s on billing account %s, so can complete the $0 checkout for benefit %s"):format(
          label(actor), roles.name(ctx.params.partner_center_role), roles.name(held),
          billing.account_label(account), benefit.id))
    end,
  },
}
