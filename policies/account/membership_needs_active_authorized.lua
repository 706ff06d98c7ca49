-- policies/account/membership_needs_active_authorized.lua
--
-- Membership actions (buying a membership offer, renewing the membership) are gated by the
-- account's state, not by roles: the Microsoft AI Cloud Partner Program status must be Active
-- and the verification (vetting) status Authorized, even for a global admin or partner admin.
--
-- decide names each status that blocks the action and the step that clears it; alerts date the
-- membership end and say whether the account's status would block its renewal today.

local PROGRAM_NAMES = { active = "Active", pending = "Pending", inactive = "Inactive" }
local vetting_name = lib.vetting.name

local function program_name(status)
  return PROGRAM_NAMES[status] or tostring(status)
end

-- What clears a program status other than Active.
local function program_step(status)
  if status == "pending" then
    return "complete the Microsoft AI Cloud Partner Program enrollment (it turns Active once verification "
      .. "is Authorized); a partner admin or global admin checks it in Account settings > Legal Info > Partner tab"
  end
  return ("have a partner admin or global admin reactivate the Microsoft AI Cloud Partner Program enrollment "
    .. "(status %s) and accept all required agreements in Account settings > Legal Info > Partner tab"):format(
    program_name(status))
end

-- What clears a vetting status other than Authorized.
local function vetting_step(partner, params, as_of)
  local status = partner.vetting_status
  if status == "pending" or status == "in_progress" then
    if partner.vetting_submitted_on == nil then
      return "complete verification (normally 3 to 5 business days; see Account settings > Legal Info)"
    end
    local sla = params.verification_sla_business_days
    local submitted = pp.date(partner.vetting_submitted_on)
    local due = pp.date_string(pp.add_business_days(submitted, sla))
    if pp.business_days_between(submitted, as_of) <= sla then
      return ("complete verification submitted on %s (normally done by %s, %d business days later; past that "
        .. "with no Action required banner, contact Partner Center support)"):format(
        partner.vetting_submitted_on, due, sla)
    end
    if partner.verification_banner == true then
      return ("complete verification submitted on %s (due by %s): provide what the Action required banner in "
        .. "Account settings > Legal Info asks for"):format(partner.vetting_submitted_on, due)
    end
    return ("get verification submitted on %s completed: it is past its %d-business-day SLA (%s) with no Action "
      .. "required banner, so contact Partner Center support to review it"):format(
      partner.vetting_submitted_on, sla, due)
  end
  if status == "rejected" then
    local used = partner.appeals_used or 0
    if used >= params.max_appeals then
      return ("get the rejected verification reviewed by Partner Center support (all %d appeals are used)"):format(
        params.max_appeals)
    end
    return ("appeal the rejected verification (Account settings > Legal Info > Verification summary, Resolve, "
      .. "upload supporting documents; %d of %d appeals left)"):format(params.max_appeals - used, params.max_appeals)
  end
  if status == "challenged" then
    return "answer the verification challenge with the documents the Account Verification pane asks for "
      .. "(Account settings > Legal Info)"
  end
  return ("fix the verification status %s in Account settings > Legal Info"):format(vetting_name(status))
end

-- The statuses that block membership actions: a list of descriptions and a list of steps.
local function blockers(partner, params, as_of)
  local wrong, steps = {}, {}
  if partner.program_status ~= params.required_program_status then
    wrong[#wrong + 1] = ("the program status is %s, not %s"):format(
      program_name(partner.program_status), program_name(params.required_program_status))
    steps[#steps + 1] = program_step(partner.program_status)
  end
  if partner.vetting_status ~= params.required_vetting_status then
    wrong[#wrong + 1] = ("verification is %s, not %s"):format(
      vetting_name(partner.vetting_status), vetting_name(params.required_vetting_status))
    steps[#steps + 1] = vetting_step(partner, params, as_of)
  end
  return wrong, steps
end

local WHAT = { ["membership.purchase"] = "buy a membership offer", ["membership.renew"] = "renew the membership" }

local function judge(req, state, ctx)
  local partner = state.partner
  local wrong, steps = blockers(partner, ctx.params, ctx.as_of)
  local what = WHAT[req.action] or req.action
  if #wrong > 0 then
    return pp.deny(
      ("%s cannot %s: %s; membership actions need both, whatever roles the user holds"):format(
        partner.name, what, table.concat(wrong, ", and ")),
      table.concat(steps, "; and ") .. ", then sign in again")
  end
  return pp.allow(
    ("%s can %s: the program status is %s and verification is %s"):format(
      partner.name, what, program_name(partner.program_status), vetting_name(partner.vetting_status)),
    { program_status = partner.program_status, vetting_status = partner.vetting_status })
end

---@type Rule
return {
  id = "account.membership-needs-active-authorized",
  title = "Membership actions need an Active program status and Authorized verification",
  severity = "error",
  source = { seed = "003_a7ef7a3de52215d6.txt", section = "Confirm vetting and program status in Legal Info" },
  description = "Buying a membership offer or renewing the membership needs the Microsoft AI Cloud Partner "
    .. "Program status Active (required_program_status) and the verification status Authorized "
    .. "(required_vetting_status), whatever roles the user holds (seed 003, 'Confirm vetting and program "
    .. "status in Legal Info' and 'Once vetting is Authorized and MAICPP is Active'). decide membership.purchase "
    .. "and membership.renew: denied naming each status that is wrong and the step that clears it (complete "
    .. "verification, appeal a rejection, answer a challenge, reactivate the enrollment in Legal Info); allowed "
    .. "otherwise, for any actor (account.membership-needs-partner-admin judges the actor's role). alerts: the membership end date, when it is today or later, with "
    .. "severity error within renewal_urgent_days (7) and warning before; the message says when the account's "
    .. "status would block the renewal. There is no state check: a pending status is not a breach.",
  params = {
    required_program_status = "active",
    required_vetting_status = "authorized",
    renewal_urgent_days = 7,
    verification_sla_business_days = 5,
    max_appeals = 3,
  },
  constrains = { "partner.membership", "benefit_packages" },

  alerts = function(state, ctx)
    local partner = state.partner
    local membership = partner.membership
    local ends = pp.date(membership["end"])
    if ends < ctx.as_of or ends > ctx.horizon then
      return -- already lapsed (not an alert) or beyond the horizon
    end
    local severity = "warning"
    if ends - ctx.as_of <= ctx.params.renewal_urgent_days then
      severity = "error"
    end
    local message = ("membership %s of %s ends on %s; its benefits stop unless it is renewed"):format(
      membership.offer, partner.name, membership["end"])
    local remedy = ("a partner admin renews the membership before %s"):format(membership["end"])
    local wrong, steps = blockers(partner, ctx.params, ctx.as_of)
    if #wrong > 0 then
      message = message .. ("; renewal is blocked today because %s"):format(table.concat(wrong, ", and "))
      remedy = table.concat(steps, "; and ") .. (", then renew before %s"):format(membership["end"])
    end
    ctx.alert{ at = partner, on = ends, severity = severity, message = message, remedy = remedy }
  end,

  decide = {
    ["membership.purchase"] = judge,
    ["membership.renew"] = judge,
  },
}
