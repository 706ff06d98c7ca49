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

-- E-mails (document order) of the users holding one of the Partner Center roles in `list`,
-- looked up: the cost is the number of holders, not of users.
local function holders(state, list)
  local found = {}
  for _, user in ipairs(pp.find_all(state.users, "partner_center_roles", list)) do
    found[#found + 1] = user.email
  end
  return found
end

-- Who can grant a role, for remedies: "a global admin, user admin or ... (alice@contoso.com)".
local function grantors(state, granting_roles)
  local who = holders(state, granting_roles)
  local text = "a " .. roles.list(granting_roles)
  if #who > 0 then
    text = text .. " (" .. table.concat(who, ", ") .. ")"
  end
  return text
end

-- The one decision on who does membership and benefit work in Partner Center (buying or
-- renewing the membership, assigning, activating, using or consolidating Azure credits): a
-- user holding the Partner Center role `who.role` (seed 001's "Appropriate roles" line, seed
-- 003's "the user performing membership actions"). Every rule that judges such an actor calls
-- this, so they all answer alike.
--
-- `work.task` is the request in words ("activate Azure credit MC-5"), `work.ability` what the
-- role can do ("activate Azure credits"). `who.granting_roles` are the roles named in remedies
-- as able to grant the role. `who.also`, optional, is a user id that may do this particular
-- work without the role, `who.also_as` names that user's part ("the assigned user of credit
-- MC-1") and `who.also_reason` says why that part may ("the assigned user finishes a credit's
-- redemption"). `actor` is req.actor (nil when left open).
--
-- Returns pp.allow when the actor qualifies; pp.deny naming who qualifies and who can grant the
-- role; with the actor left open, pp.condition naming the users who qualify, or pp.deny when
-- nobody does (no value of the actor can be allowed then).
function roles.partner_admin_verdict(state, actor, work, who)
  local role_name = roles.name(who.role)
  local also = nil
  if who.also ~= nil then
    also = pp.find(state.users, who.also)
  end

  if actor ~= nil and roles.has_partner_center_role(actor, who.role) then
    return pp.allow(("%s holds the Partner Center role %s, which can %s"):format(
      actor.email, role_name, work.ability))
  end
  if actor ~= nil and also ~= nil and actor.id == also.id then
    return pp.allow(("%s is %s (%s), so the Partner Center role %s is not needed to %s"):format(
      actor.email, who.also_as, who.also_reason, role_name, work.task))
  end

  -- Only a denial or a condition names the admins: an allowed request never reads every user.
  local admins = holders(state, { who.role })
  local also_words = ""
  if also ~= nil then
    also_words = (", or be %s (%s)"):format(who.also_as, also.email)
  end
  if #admins == 0 and also == nil then
    local whom = actor ~= nil and actor.email or "a user"
    return pp.deny(
      ("only a user with the Partner Center role %s can %s, and no user in the partner's state holds it"):format(
        role_name, work.task),
      ("%s gives %s the Partner Center role %s"):format(grantors(state, who.granting_roles), whom, role_name))
  end

  if actor == nil then
    local held = "held by nobody"
    if #admins > 0 then
      held = "held by " .. table.concat(admins, ", ")
    end
    return pp.condition(("the user who does it must hold the Partner Center role %s (%s)%s"):format(
      role_name, held, also_words))
  end

  local others = {}
  if #admins > 0 then
    others[#others + 1] = ("let a %s do it (%s)"):format(role_name, table.concat(admins, ", "))
  end
  if also ~= nil then
    others[#others + 1] = ("let %s (%s) do it"):format(who.also_as, also.email)
  end
  local needs = ""
  if also ~= nil then
    needs = (" (or being %s)"):format(who.also_as)
  end
  return pp.deny(
    ("%s cannot %s: that needs the Partner Center role %s%s"):format(actor.email, work.task, role_name, needs),
    ("%s, or %s gives %s that role"):format(
      table.concat(others, ", or "), grantors(state, who.granting_roles), actor.email))
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
