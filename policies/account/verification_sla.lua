-- Overdue only from the business day after the SLA's last one: a weekend right after that day
-- does not make it overdue yet.

-- The waiting verification, with the fields its messages name, or nil when verification is not
-- waiting or its submission date is not recorded.
local function waiting(partner, ctx)
  if not pp.contains(ctx.params.sla_statuses, partner.vetting_status)
    or partner.vetting_submitted_on == nil then
    return nil
  end
  local submitted = pp.date(partner.vetting_submitted_on)
  local sla = ctx.params.sla_business_days
  local elapsed = pp.business_days_between(submitted, ctx.as_of)
  local sla_end = pp.add_business_days(submitted, sla)
  return {
    on = sla_end,
    overdue = elapsed > sla,
    banner = partner.verification_banner == true,
    fields = {
      partner = partner.name, status = lib.vetting.name(partner.vetting_status), elapsed = elapsed,
      submitted = partner.vetting_submitted_on, sla = sla, sla_end = pp.date_string(sla_end),
      escalate = pp.say("escalate"),
    },
  }
end

---@type Rule
return {
  id = "account.verification-sla",
  severity = "warning",
  source = { seed = "003_a7ef7a3de52215d6.txt", section = "When the status is stuck beyond 5 business days" },
  params = {
    sla_business_days = 5,
    sla_statuses = { "pending", "in_progress" },
  },
  constrains = { "partner.vetting_status", "partner.vetting_submitted_on", "partner.verification_banner" },
  no_say = {
    ["verification.appeal"] = "an appeal answers a rejected verification; this rule only times one that is pending or in progress",
  },

  check = function(state, ctx)
    local wait = waiting(state.partner, ctx)
    if wait ~= nil and wait.overdue and not wait.banner then
      ctx.report{
        at = state.partner,
        message = pp.say("stuck", wait.fields),
        remedy = pp.say("stuck_remedy", wait.fields),
      }
    end
  end,

  alerts = function(state, ctx)
    local wait = waiting(state.partner, ctx)
    if wait == nil then
      return
    end
    local alert = { at = state.partner, on = wait.on }
    if not wait.overdue then
      alert.severity = "info"
      alert.message, alert.remedy = pp.say("due", wait.fields), pp.say("due_remedy", wait.fields)
    elseif wait.banner then
      alert.message, alert.remedy = pp.say("overdue_banner", wait.fields), pp.say("act_on_banner")
    else
      alert.message, alert.remedy = pp.say("overdue", wait.fields), wait.fields.escalate
    end
    ctx.alert(alert)
  end,
}
