-- policies/credits/assign_requires_partner_admin.lua
--
-- Every Azure credit step in Partner Center (assigning, reassigning, activating, using and
-- consolidating credits) is done by a user with the Partner Center role "Microsoft AI Cloud
-- Partner Program partner admin", the article's appropriate role. The one exception the article
-- itself makes: once a credit is assigned, its assigned user finishes the redemption, so the
-- credit's current holder may activate and use it too. lib.roles.partner_admin_verdict decides,
-- as it does for membership actions (account.membership-needs-partner-admin).

local roles = lib.roles

-- What each action does, in words: the task with its subject, and what the role can do.
local VERBS = {
  ["credit.assign"] = "assign",
  ["credit.reassign"] = "reassign",
  ["credit.activate"] = "activate",
  ["credit.use"] = "use",
}

-- The actions whose credit's assigned user finishes the redemption (seed 001, "Activate or
-- redeem your Azure credits": after the assignment the assigned user completes it).
local HOLDER_MAY = { ["credit.activate"] = true, ["credit.use"] = true }

local function who(ctx)
  return { role = ctx.params.partner_admin_role, granting_roles = ctx.params.role_granting_roles }
end

local function judge_credit(req, state, ctx)
  local credit = req.credit
  local verb = VERBS[req.action]
  local settings = who(ctx)
  if HOLDER_MAY[req.action] then
    settings.also = pp.assigned_user(credit)
    settings.also_as = "the assigned user of credit " .. credit.id
    settings.also_reason = "the assigned user finishes a credit's redemption"
  end
  return roles.partner_admin_verdict(state, req.actor,
    { task = ("%s Azure credit %s"):format(verb, credit.id), ability = verb .. " Azure credits" }, settings)
end

local function judge_consolidation(req, state, ctx)
  local task
  if req.credits == nil then
    task = ("put credits on Azure subscription %s"):format(req.azure_subscription.id)
  else
    local ids = {}
    for _, credit in ipairs(req.credits) do
      ids[#ids + 1] = credit.id
    end
    task = ("put credits %s on Azure subscription %s"):format(table.concat(ids, ", "), req.azure_subscription.id)
  end
  return roles.partner_admin_verdict(state, req.actor, { task = task, ability = "consolidate Azure credits" },
    who(ctx))
end

---@type Rule
return {
  id = "credits.assign-requires-partner-admin",
  title = "Only a partner admin assigns, reassigns, activates, uses or consolidates Azure credits",
  severity = "error",
  source = { seed = "001_5c53631e905999a7.txt", section = "Appropriate roles: Microsoft AI Cloud Partner Program partner admin" },
  description = "The Azure credits article names its appropriate role, Microsoft AI Cloud Partner Program "
    .. "partner admin (seed 001, the 'Appropriate roles' line at its top, for every step of the article: "
    .. "'Activate or redeem your Azure credits', 'View and remove assigned users'). decide credit.assign, "
    .. "credit.reassign, credit.activate, credit.use and credits.consolidate through "
    .. "lib.roles.partner_admin_verdict, as account.membership-needs-partner-admin does for membership actions: "
    .. "allowed when the actor holds partner_admin_role in users[].partner_center_roles; for credit.activate and "
    .. "credit.use also when the actor is the credit's current assigned user, who finishes the redemption "
    .. "('Activate or redeem your Azure credits'); otherwise denied, naming the users who qualify and those who "
    .. "can grant the role (role_granting_roles, an assumption: the seeds do not say who grants roles). With the "
    .. "actor left open: a condition naming the users who qualify, or a denial when nobody does. Roles are not "
    .. "dated, so there is no state check.",
  params = {
    partner_admin_role = "partner_admin",
    role_granting_roles = { "global_admin", "user_admin", "partner_admin" },
  },
  constrains = { "credits" },

  decide = {
    ["credit.assign"] = judge_credit,
    ["credit.reassign"] = judge_credit,
    ["credit.activate"] = judge_credit,
    ["credit.use"] = judge_credit,
    ["credits.consolidate"] = judge_consolidation,
  },
}
