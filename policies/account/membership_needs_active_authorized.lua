local PROGRAM_NAMES = { active = "Active", pending = "Pending", inactive = "Inactive" }
local vetting_name = lib.vetting.name

local function program_name(status)
  return PROGRAM_NAMES[status] or tostring(status)
end

-- What clears a vetting status other than Authorized.
local function vetting_step(partner, params, as_of)
  local status = partner.vetting_status
  if status == "pending" or status == "in_progress" then
    if partner.vetting_submitted_on == nil then
      return pp.say("verify_undated")
    end
    local sla = params.verification_sla_business_days
    local submitted = pp.date(partner.vetting_submitted_on)
    local fields = { submitted = partner.vetting_submitted_on, sla = sla,
      due = pp.date_string(pp.add_business_days(submitted, sla)) }
    if pp.business_days_between(submitted, as_of) <= sla then
      return pp.say("verify_within_sla", fields)
    end
    return pp.say(partner.verification_banner == true and "verify_banner" or "verify_overdue", fields)
  elseif status == "rejected" then
    local used = partner.appeals_used or 0
    local fields = { max = params.max_appeals, left = params.max_appeals - used }
    return pp.say(used >= params.max_appeals and "appeals_used" or "appeal", fields)
  elseif status == "challenged" then
    return pp.say("challenged")
  end
  return pp.say("verify_other", { status = vetting_name(status) })
end

-- The statuses that block membership actions, as one description and one list of steps
-- (nil when none does).
local function blockers(partner, params, as_of)
  local wrong, steps = {}, {}
  if partner.program_status ~= params.required_program_status then
    wrong[#wrong + 1] = pp.say("program_wrong", { is = program_name(partner.program_status),
      needed = program_name(params.required_program_status) })
    steps[#steps + 1] = partner.program_status == "pending" and pp.say("program_pending")
      or pp.say("program_reactivate", { status = program_name(partner.program_status) })
  end
  if partner.vetting_status ~= params.required_vetting_status then
    wrong[#wrong + 1] = pp.say("vetting_wrong", { is = vetting_name(partner.vetting_status),
      needed = vetting_name(params.required_vetting_status) })
    steps[#steps + 1] = vetting_step(partner, params, as_of)
  end
  if #wrong == 0 then
    return nil
  end
  return table.concat(wrong, ", and "), table.concat(steps, "; and ")
end

local WHAT = { ["membership.purchase"] = "buy a membership offer", ["membership.renew"] = "renew the membership" }

local function judge(req, state, ctx)
  local partner = state.partner
  local wrong, steps = blockers(partner, ctx.params, ctx.as_of)
  local fields = { partner = partner.name, what = WHAT[req.action] or req.action, wrong = wrong }
  if wrong ~= nil then
    return pp.deny(pp.say("denied", fields), pp.say("denied_remedy", { steps = steps }))
  end
  fields.program = program_name(partner.program_status)
  fields.vetting = vetting_name(partner.vetting_status)
  return pp.allow(pp.say("allowed", fields),
    { program_status = partner.program_status, vetting_status = partner.vetting_status })
end

---@type Rule
return {
  id = "account.membership-needs-active-authorized",
  severity = "error",
  source = { seed = "003_a7ef7a3de52215d6.txt", section = "Confirm vetting and program status in Legal Info" },
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
    local severity = ends - ctx.as_of <= ctx.params.renewal_urgent_days and "error" or "warning"
    local day = membership["end"]
    local message = pp.say("membership_ends", { offer = membership.offer, partner = partner.name, day = day })
    local remedy = pp.say("renew_before", { day = day })
    local wrong, steps = blockers(partner, ctx.params, ctx.as_of)
    if wrong ~= nil then
      message = pp.say("renewal_blocked", { message = message, wrong = wrong })
      remedy = pp.say("unblock_then_renew", { steps = steps, day = day })
    end
    ctx.alert{ at = partner, on = ends, severity = severity, message = message, remedy = remedy }
  end,

  decide = {
    ["membership.purchase"] = judge,
    ["membership.renew"] = judge,
  },
}
