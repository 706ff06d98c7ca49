-- policies/credits/assign_requires_partner_admin.lua
--
-- Assigning, reassigning and activating Azure credits in Partner Center is done by a user with
-- the Partner Center role "Microsoft AI Cloud Partner Program partner admin".

local roles = lib.roles

local function holds_any(user, list)
  for _, role in ipairs(list) do
    if roles.has_partner_center_role(user, role) then
      return true
    end
  end
  return false
end

-- E-mails (document order) of the users for whom `pred` holds.
local function emails(state, pred)
  local found = {}
  for _, user in ipairs(state.users) do
    if pred(user) then
      found[#found + 1] = user.email
    end
  end
  return found
end

local WHAT = {
  ["credit.assign"] = "assign",
  ["credit.reassign"] = "reassign",
  ["credit.activate"] = "activate",
}

-- Who can grant the role, for remedies: "a global admin, user admin or ... (alice@contoso.com)".
local function grantors(state, params)
  local who = emails(state, function(u)
    return holds_any(u, params.role_granting_roles)
  end)
  local text = "a " .. roles.list(params.role_granting_roles)
  if #who > 0 then
    text = text .. " (" .. table.concat(who, ", ") .. ")"
  end
  return text
end

local function judge(req, state, ctx)
  local role = ctx.params.partner_admin_role
  local credit = req.credit
  local verb = WHAT[req.action] or req.action
  local actor = req.actor

  if actor ~= nil and roles.has_partner_center_role(actor, role) then
    return pp.allow(("%s holds the Partner Center role %s, which can %s Azure credits"):format(
      actor.email, roles.name(role), verb))
  end

  -- Only a denial or a condition names the admins: an allowed request never reads every user.
  local admins = emails(state, function(u)
    return roles.has_partner_center_role(u, role)
  end)
  if #admins == 0 then
    local who = actor ~= nil and actor.email or "a user"
    return pp.deny(
      ("only a user with the Partner Center role %s can %s Azure credit %s, and no user in the partner's state holds it"):format(
        roles.name(role), verb, credit.id),
      ("%s gives %s the Partner Center role %s"):format(grantors(state, ctx.params), who, roles.name(role)))
  end

  if actor == nil then
    return pp.condition(
      ("the user who does it must hold the Partner Center role %s (held by %s)"):format(
        roles.name(role), table.concat(admins, ", ")))
  end

  return pp.deny(
    ("%s cannot %s Azure credit %s: that needs the Partner Center role %s"):format(
      actor.email, verb, credit.id, roles.name(role)),
    ("let a %s do it (%s), or %s gives %s that role"):format(
      roles.name(role), table.concat(admins, ", "), grantors(state, ctx.params), actor.email))
end

---@type Rule
return {
  id = "credits.assign-requires-partner-admin",
  title = "Only a partner admin assigns, reassigns or activates Azure credits",
  severity = "error",
  source = { seed = "001_5c53631e905999a7.txt", section = "Activate or redeem your Azure credits" },
  description = "The Azure credits article names its appropriate role, Microsoft AI Cloud Partner Program "
    .. "partner admin (seed 001, the 'Appropriate roles' line at its top, for the steps in 'Activate or "
    .. "redeem your Azure credits' and 'View and remove assigned users'). decide credit.assign, "
    .. "credit.reassign and credit.activate: allowed when the actor holds partner_admin_role in "
    .. "users[].partner_center_roles; otherwise denied, naming the users who hold it and those who can "
    .. "grant it (role_granting_roles, an assumption: the seeds do not say who grants roles). With the "
    .. "actor left open: a condition naming the partner admins, or a denial when nobody holds the role. "
    .. "Roles are not dated, so there is no state check.",
  params = {
    partner_admin_role = "partner_admin",
    role_granting_roles = { "global_admin", "user_admin", "partner_admin" },
  },
  constrains = { "credits" },

  decide = {
    ["credit.assign"] = judge,
    ["credit.reassign"] = judge,
    ["credit.activate"] = judge,
  },
}
