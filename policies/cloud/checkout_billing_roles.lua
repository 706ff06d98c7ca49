local roles = lib.roles
local billing = lib.billing
local label = lib.text.user

local function role_list(list)
  return roles.list(list, pp.say("no_billing_role"))
end

-- What the user lacks: a list of missing-role descriptions (empty when none), plus flags.
local function missing_roles(user, account, account_id, params)
  local missing = {}
  local lacks_pc = not roles.has_partner_center_role(user, params.partner_center_role)
  if lacks_pc then
    missing[#missing + 1] = pp.say("lacks_pc", { role = roles.name(params.partner_center_role) })
  end
  local lacks_billing = roles.billing_role_on(user, account_id, params.checkout_billing_roles) == nil
  if lacks_billing then
    local f = { roles = role_list(params.checkout_billing_roles), account = billing.account_label(account) }
    missing[#missing + 1] = account_id == nil and pp.say("lacks_billing_none", f) or pp.say("lacks_billing", f)
  end
  return missing, lacks_pc, lacks_billing
end

-- A finder of users (document order) holding `pred`: up to three labels joined, or nil,
-- remembered by `key` for one evaluation: a check writes a remedy for every benefit it reports,
-- and each names the same few users, so the users are read once per key rather than per finding.
local function user_finder(state)
  local found = {}
  return function(key, pred)
    if found[key] == nil then
      local labels = {}
      for _, user in ipairs(state.users) do
        if #labels < 3 and pred(user) then
          labels[#labels + 1] = label(user)
        end
      end
      found[key] = #labels > 0 and table.concat(labels, ", ")
    end
    return found[key] or nil
  end
end

-- Users with both roles on the account.
local function ready_users(find, account_id, params)
  return find("ready on " .. tostring(account_id), function(u)
    return roles.has_partner_center_role(u, params.partner_center_role)
      and roles.billing_role_on(u, account_id, params.checkout_billing_roles) ~= nil
  end)
end

-- " (a, b)" of a user list, or "".
local function among(users)
  return users and pp.say("among", { users = users }) or ""
end

-- Who can grant what is missing and, with `alternative`, a user who already has both roles.
-- `find` is a user_finder of the state.
local function remedy(find, who, account, account_id, params, lacks_pc, lacks_billing, alternative)
  local steps = {}
  if lacks_billing then
    local owners = account_id ~= nil and find("owners of " .. account_id, function(u)
      return roles.billing_role_on(u, account_id, { "billing_account_owner" }) ~= nil
    end) or nil
    steps[#steps + 1] = pp.say("owner_assigns", { owners = among(owners), who = who,
      account = billing.account_label(account, pp.say("purchase_account")) })
  end
  if lacks_pc then
    local admins = find("admins", function(u)
      return roles.has_partner_center_role(u, "partner_admin") or roles.has_partner_center_role(u, "global_admin")
    end)
    steps[#steps + 1] = pp.say("admin_gives", { admins = among(admins), who = who,
      role = roles.name(params.partner_center_role) })
  end
  local text = table.concat(steps, "; and ")
  local ready = alternative and ready_users(find, account_id, params)
  return ready and text .. pp.say("or_ready", { ready = ready }) or text
end

---@type Rule
return {
  id = "cloud.checkout-billing-roles",
  severity = "error",
  source = { seed = "002_013589e162925edb.txt",
             section = "Who can complete a $0 cloud benefit purchase in the Microsoft 365 admin center?" },
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
      local user = benefit.redemption == "keyless" and benefit.status == "redeemed"
        and benefit.redeemed_by ~= nil and pp.find(state.users, benefit.redeemed_by)
      if user then
        local account, account_id = billing.benefit_account(state, benefit)
        local missing, lacks_pc, lacks_billing = missing_roles(user, account, account_id, ctx.params)
        if #missing > 0 then
          ctx.report{ at = benefit,
            message = pp.say("redeemed_by", { benefit = benefit.id, product = benefit.product,
              user = label(user), missing = table.concat(missing, ", and ") }),
            remedy = pp.say("check_who", { user = label(user), remedy = remedy(find, label(user), account,
              account_id, ctx.params, lacks_pc, lacks_billing, false) }) }
        end
      end
    end
  end,

  decide = {
    ["benefit.redeem"] = function(req, state, ctx)
      local benefit, actor, params = req.benefit, req.actor, ctx.params
      if benefit.redemption ~= "keyless" then
        return nil -- product keys: no $0 checkout
      end
      local account, account_id = billing.benefit_account(state, benefit)
      local find = user_finder(state)
      if actor == nil then
        -- Open question (no --as): say who can, or what nobody has yet.
        local f = { benefit = benefit.id, ready = ready_users(find, account_id, params),
          needs = pp.say("needs", { role = roles.name(params.partner_center_role),
            roles = role_list(params.checkout_billing_roles),
            account = billing.account_label(account, pp.say("none_recorded")) }) }
        if f.ready == nil then
          return pp.deny(pp.say("nobody", f), remedy(find, pp.say("checkout_user"), account, account_id,
            params, true, true, false))
        end
        return pp.condition(pp.say("must_hold", f))
      end
      local missing, lacks_pc, lacks_billing = missing_roles(actor, account, account_id, params)
      if #missing > 0 then
        return pp.deny(pp.say("cannot", { user = label(actor), benefit = benefit.id, product = benefit.product,
            missing = table.concat(missing, ", and ") }),
          remedy(find, label(actor), account, account_id, params, lacks_pc, lacks_billing, true))
      end
      return pp.allow(pp.say("can", { user = label(actor), benefit = benefit.id,
        role = roles.name(params.partner_center_role),
        held = roles.name(roles.billing_role_on(actor, account_id, params.checkout_billing_roles)),
        account = billing.account_label(account) }))
    end,
  },
}
