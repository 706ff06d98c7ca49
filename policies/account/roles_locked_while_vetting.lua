-- Denied although the document says only "can": attempting the change fails in the portal, and
-- the fix (finish verification) is the same either way.

-- The first step that moves verification on from `status`.
local function finish_verification(partner)
  if partner.vetting_status == "rejected" then
    return pp.say("appeal_first")
  end
  local day = partner.vetting_submitted_on
  return day and pp.say("complete_submitted", { day = day }) or pp.say("complete_first")
end

---@type Rule
return {
  id = "account.roles-locked-while-vetting",
  severity = "warning",
  source = { seed = "003_a7ef7a3de52215d6.txt",
             section = "Understand impact of non\u{2011}Authorized vetting on permissions" },
  params = {
    locking_vetting_statuses = { "pending", "in_progress", "rejected" },
  },
  constrains = { "users.partner_center_roles" },
  no_say = {
    ["credit.assign"] = "a user added by a credit assignment gets no Partner Center role",
    ["credit.reassign"] = "a user added by a credit reassignment gets no Partner Center role",
  },

  decide = {
    ["user.modify-roles"] = function(req, state, ctx)
      local partner = state.partner
      local status, user = lib.vetting.name(partner.vetting_status), lib.text.user(req.user)
      if pp.contains(ctx.params.locking_vetting_statuses, partner.vetting_status) then
        local change = req.role and pp.say("roles_adding", { role = req.role }) or pp.say("roles")
        return pp.deny(pp.say("locked", { change = change, user = user, status = status }),
          pp.say("then_change", { first = finish_verification(partner), user = user }))
      end
      return pp.allow(pp.say("not_locked", { status = status, user = user }),
        { vetting_status = partner.vetting_status })
    end,
  },
}
