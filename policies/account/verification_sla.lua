-- policies/account/verification_sla.lua
--
-- Verification normally completes within sla_business_days (5) business days of submission.
-- Still Pending after that with no "Action required" / "Fix now" banner means the partner cannot
-- move it on alone: the documented next step is to contact Partner Center support.
--
-- Counting: business days are Monday to Friday (no holidays), counted after the submission day.
-- The SLA runs out at the end of the sla_business_days-th business day
-- (pp.add_business_days(submitted, 5)); verification is overdue once more than that many
-- business days have passed (pp.business_days_between(submitted, as_of) > 5), i.e. from the next
-- business day. A weekend after the last SLA day does not make it overdue yet.

local vetting_name = lib.vetting.name

-- The waiting verification: { submitted, sla_end, elapsed, overdue, banner }, or nil when
-- verification is not waiting or its submission date is not recorded.
local function waiting(partner, ctx)
  if not pp.contains(ctx.params.sla_statuses, partner.vetting_status) then
    return nil
  end
  if partner.vetting_submitted_on == nil then
    return nil
  end
  local submitted = pp.date(partner.vetting_submitted_on)
  local sla = ctx.params.sla_business_days
  local elapsed = pp.business_days_between(submitted, ctx.as_of)
  return {
    submitted = submitted,
    sla_end = pp.add_business_days(submitted, sla),
    elapsed = elapsed,
    overdue = elapsed > sla,
    banner = partner.verification_banner == true,
  }
end

local ESCALATE = "contact Partner Center support (Help + support in Partner Center) and ask them to review "
  .. "the vetting state of the tenant"
local ACT_ON_BANNER = "open the Action required / Fix now banner in Account settings > Legal Info and "
  .. "provide what it asks for"

---@type Rule
return {
  id = "account.verification-sla",
  title = "Verification pending past five business days without an action banner is escalated to support",
  severity = "warning",
  source = { seed = "003_a7ef7a3de52215d6.txt", section = "When the status is stuck beyond 5 business days" },
  description = "Verification normally takes 3 to 5 business days (sla_business_days = 5, Monday to Friday, "
    .. "counted after partner.vetting_submitted_on). When it is still in one of sla_statuses (pending, "
    .. "in_progress) after more than that many business days and no Action required / Fix now banner is "
    .. "shown (partner.verification_banner), the next step is to contact Partner Center support (seed 003, "
    .. "'When the status is stuck beyond 5 business days'). check: overdue with no banner gives a finding "
    .. "(escalate). alerts: while verification waits, the day the SLA runs out (info); once overdue, an "
    .. "overdue alert dated that day, which is in the past (escalate to support, or act on the banner when "
    .. "one is shown). Without a submission date the rule says nothing.",
  params = {
    sla_business_days = 5,
    sla_statuses = { "pending", "in_progress" },
  },
  constrains = { "partner.vetting_status", "partner.vetting_submitted_on", "partner.verification_banner" },
  no_say = {
    ["verification.appeal"] = "an appeal answers a rejected verification; this rule only times one that is pending or in progress",
  },

  check = function(state, ctx)
    local partner = state.partner
    local wait = waiting(partner, ctx)
    if wait == nil or not wait.overdue or wait.banner then
      return
    end
    ctx.report{
      at = partner,
      message = ("verification of %s has been %s for %d business days since %s (the SLA of %d business days "
        .. "ran out on %s) and no Action required banner is shown"):format(
        partner.name, vetting_name(partner.vetting_status), wait.elapsed, partner.vetting_submitted_on,
        ctx.params.sla_business_days, pp.date_string(wait.sla_end)),
      remedy = ESCALATE .. "; support can unblock the verification summary and membership access",
    }
  end,

  alerts = function(state, ctx)
    local partner = state.partner
    local wait = waiting(partner, ctx)
    if wait == nil then
      return
    end
    local sla_end = pp.date_string(wait.sla_end)
    if not wait.overdue then
      ctx.alert{
        at = partner,
        on = wait.sla_end,
        severity = "info",
        message = ("verification of %s, %s since %s, should complete by %s (%d business days)"):format(
          partner.name, vetting_name(partner.vetting_status), partner.vetting_submitted_on, sla_end,
          ctx.params.sla_business_days),
        remedy = ("if it is still %s after %s and no Action required banner is shown, %s"):format(
          vetting_name(partner.vetting_status), sla_end, ESCALATE),
      }
      return
    end
    if wait.banner then
      ctx.alert{
        at = partner,
        on = wait.sla_end,
        message = ("verification of %s is overdue: %s for %d business days since %s (due by %s), and an "
          .. "Action required banner asks for the partner's action"):format(
          partner.name, vetting_name(partner.vetting_status), wait.elapsed, partner.vetting_submitted_on, sla_end),
        remedy = ACT_ON_BANNER,
      }
      return
    end
    ctx.alert{
      at = partner,
      on = wait.sla_end,
      message = ("verification of %s is overdue: %s for %d business days since %s (due by %s), with no "
        .. "Action required banner"):format(
        partner.name, vetting_name(partner.vetting_status), wait.elapsed, partner.vetting_submitted_on, sla_end),
      remedy = ESCALATE,
    }
  end,
}
