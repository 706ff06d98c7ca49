-- policies/account/membership_needs_partner_admin.lua
--
-- Buying a membership offer and renewing the membership are done by a user with the Partner
-- Center role "Microsoft AI Cloud Partner Program partner admin". The account's status gates
-- them too (account.membership-needs-active-authorized); this rule judges only the user.
-- lib.roles.partner_admin_verdict decides, as it does for the Azure credit steps
-- (credits.assign-requires-partner-admin).

local WORK = {
  ["membership.purchase"] = { task = "buy a membership offer for %s", ability = "buy membership offers" },
  ["membership.renew"] = { task = "renew the membership of %s", ability = "renew the membership" },
}

local function judge(req, state, ctx)
  local work = WORK[req.action]
  return lib.roles.partner_admin_verdict(state, req.actor,
    { task = work.task:format(state.partner.name), ability = work.ability },
    { role = ctx.params.partner_admin_role, granting_roles = ctx.params.role_granting_roles })
end

---@type Rule
return {
  id = "account.membership-needs-partner-admin",
  title = "Only a partner admin buys or renews the membership",
  severity = "error",
  source = { seed = "003_a7ef7a3de52215d6.txt", section = "Once vetting is Authorized and MAICPP is Active" },
  description = "The user who buys membership offers or renews the membership needs the Partner Center role "
    .. "Microsoft AI Cloud Partner Program partner admin (seed 003, 'Once vetting is Authorized and MAICPP is "
    .. "Active'; the account's status is judged by account.membership-needs-active-authorized). decide "
    .. "membership.purchase and membership.renew through lib.roles.partner_admin_verdict, as "
    .. "credits.assign-requires-partner-admin does for credits: allowed when the actor holds partner_admin_role in "
    .. "users[].partner_center_roles; otherwise denied, naming the partner admins and the users who can grant the "
    .. "role (role_granting_roles, an assumption: the seeds do not say who grants roles). With the actor left open: "
    .. "a condition naming the partner admins, or a denial when nobody holds the role. Roles are not dated, so "
    .. "there is no state check.",
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
