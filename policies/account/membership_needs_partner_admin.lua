local function judge(req, state, ctx)
  local fields = { partner = state.partner.name }
  local work = req.action == "membership.purchase"
    and { task = pp.say("purchase_task", fields), ability = pp.say("purchase_ability", fields) }
    or { task = pp.say("renew_task", fields), ability = pp.say("renew_ability", fields) }
  return lib.roles.partner_admin_verdict(state, req.actor, work,
    { role = ctx.params.partner_admin_role, granting_roles = ctx.params.role_granting_roles })
end

---@type Rule
return {
  id = "account.membership-needs-partner-admin",
  severity = "error",
  source = { seed = "003_a7ef7a3de52215d6.txt", section = "Once vetting is Authorized and MAICPP is Active" },
  params = {
    partner_admin_role = "partner_admin",
    role_granting_roles = { "global_admin", "user_admin", "partner_admin" },
  },
  constrains = { "partner.membership" },

  decide = {
    ["membership.purchase"] = judge,
    ["membership.renew"] = judge,
  },
}
