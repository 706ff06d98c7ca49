-- policies/account/roles_locked_while_vetting.lua
--
-- While verification (vetting) is Pending, In progress or Rejected, Partner Center can refuse to
-- add or change user roles. The document says "can", so this is a caution; the rule denies
-- the change, because attempting it fails in the portal and the fix (finish verification) is
-- the same either way.

local vetting_name = lib.vetting.name
local label = lib.text.user

-- The first step that moves verification on from `status`.
local function finish_verification(partner)
  local status = partner.vetting_status
  if status == "rejected" then
    return "get verification Authorized first: appeal the rejection in Account settings > Legal Info > "
      .. "Verification summary (Resolve, upload supporting documents)"
  end
  if partner.vetting_submitted_on ~= nil then
    return ("complete verification first (submitted on %s; it normally takes 3 to 5 business days, and past "
      .. "that with no Action required banner Partner Center support can unblock it)"):format(
      partner.vetting_submitted_on)
  end
  return "complete verification first (it normally takes 3 to 5 business days; see Account settings > Legal Info)"
end

---@type Rule
return {
  id = "account.roles-locked-while-vetting",
  title = "User roles cannot be added or changed while verification is pending, in progress or rejected",
  severity = "warning",
  source = { seed = "003_a7ef7a3de52215d6.txt",
             section = "Understand impact of non\u{2011}Authorized vetting on permissions" },
  description = "While the verification status is one of locking_vetting_statuses (pending, in_progress, "
    .. "rejected), Partner Center can prevent adding or modifying user roles (seed 003, 'Understand impact of "
    .. "non-Authorized vetting on permissions'). decide user.modify-roles: the document says 'can', and the rule "
    .. "chooses to deny, for any role and any actor, with the remedy to finish verification first; with another "
    .. "status (authorized, and challenged, which the document does not list) it allows. There is no state "
    .. "check and there are no alerts: a role held before vetting started is not a breach.",
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
      local user = req.user
      local change = "roles"
      if req.role ~= nil then
        change = ("roles (adding %s)"):format(req.role)
      end
      if pp.contains(ctx.params.locking_vetting_statuses, partner.vetting_status) then
        return pp.deny(
          ("the %s of %s cannot be changed while verification is %s: Partner Center can block adding or "
            .. "modifying user roles until verification is Authorized"):format(
            change, label(user), vetting_name(partner.vetting_status)),
          ("%s, then change the roles of %s"):format(finish_verification(partner), label(user)))
      end
      return pp.allow(
        ("verification is %s, so it does not lock the roles of %s"):format(
          vetting_name(partner.vetting_status), label(user)),
        { vetting_status = partner.vetting_status })
    end,
  },
}
