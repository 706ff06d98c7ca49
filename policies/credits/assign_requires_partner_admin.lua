-- The actions whose credit's assigned user finishes the redemption (seed 001, "Activate or
-- redeem your Azure credits": after the assignment the assigned user completes it).
local HOLDER_MAY = { ["credit.activate"] = true, ["credit.use"] = true }

local function who(ctx)
  return { role = ctx.params.partner_admin_role, granting_roles = ctx.params.role_granting_roles }
end

local function judge_credit(req, state, ctx)
  local credit, verb = req.credit, req.action:match("[^.]+$") -- credit.assign: "assign"
  local settings = who(ctx)
  if HOLDER_MAY[req.action] then
    settings.also = pp.assigned_user(credit)
    settings.also_as = pp.say("holder", { credit = credit.id })
    settings.also_reason = pp.say("holder_finishes")
  end
  return lib.roles.partner_admin_verdict(state, req.actor, { task = pp.say("task",
    { verb = verb, credit = credit.id }), ability = pp.say("ability", { verb = verb }) }, settings)
end

local function judge_consolidation(req, state, ctx)
  local ids = {}
  for _, credit in ipairs(req.credits or {}) do
    ids[#ids + 1] = credit.id
  end
  local task = pp.say("consolidate", { sub = req.azure_subscription.id,
    credits = req.credits and " " .. table.concat(ids, ", ") or "" })
  return lib.roles.partner_admin_verdict(state, req.actor,
    { task = task, ability = pp.say("ability", { verb = "consolidate" }) }, who(ctx))
end

---@type Rule
return {
  id = "credits.assign-requires-partner-admin",
  severity = "error",
  source = { seed = "001_5c53631e905999a7.txt", section = "Appropriate roles: Microsoft AI Cloud Partner Program partner admin" },
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
