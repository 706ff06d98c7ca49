-- policies/credits/activation_window.lua
--
-- Advisory (seed 000 is an AI-generated answer): an Azure credit not activated within 90 days of
-- being awarded generally cannot be activated afterwards.
--
-- Day counting: the award day is day 0, so the last day of the window is awarded_on +
-- activation_window_days (calendar days; awarded 2027-12-01 -> last day 2028-02-29).

local function not_activated(credit)
  return credit.activated_on == nil and credit.status == "not_redeemed"
end

local function last_day(credit, params)
  return pp.date(credit.awarded_on) + params.activation_window_days
end

-- Who should activate the credit, for remedies.
local function who_activates(credit)
  local holder = pp.assigned_user(credit)
  if holder ~= nil then
    return "its assigned user " .. pp.user_label(holder)
  end
  return "a partner admin (after assigning a user)"
end

local function next_year(state)
  return ("otherwise use the credits awarded for the next benefit year once the membership is renewed "
    .. "(the current term ends on %s)"):format(state.partner.membership["end"])
end

-- credit.activate, the first credit.assign and credit.use on a credit not activated: each starts
-- its redemption, so each gets the same verdict. `why` ties the action to activation ("" for
-- credit.activate itself), `step` says what to do by the window's last day ("activate it").
local function judge_start(credit, state, ctx, why, step)
  if not not_activated(credit) then
    return nil
  end
  local days = ctx.params.activation_window_days
  local last = last_day(credit, ctx.params)
  if ctx.as_of > last then
    return pp.deny(
      ("credit %s was awarded on %s and not activated within %d days (by %s), so it generally cannot be "
        .. "activated any more%s (advisory)"):format(credit.id, credit.awarded_on, days, pp.date_string(last), why),
      ("ask Microsoft support whether %s can still be activated; %s"):format(credit.id, next_year(state)))
  end
  local left = last - ctx.as_of
  local when
  if left == 0 then
    when = "today is the last day"
  elseif left == 1 then
    when = "1 day left after today"
  else
    when = ("%d days left after today"):format(left)
  end
  return pp.allow(
    ("credit %s is inside its %d-day activation window: %s by %s (%s)"):format(
      credit.id, days, step, pp.date_string(last), when),
    { last_day = pp.date_string(last), days_left = left })
end

---@type Rule
return {
  id = "credits.activation-window",
  title = "Activate Azure credits within 90 days of their award (advisory)",
  severity = "warning",
  source = { seed = "000_47716db5bb235c69.txt",
             section = "Clarification Request: MAICPP Credit Delegation, Visibility, Activation, and Alerting Limitations" },
  description = "Advisory, from an AI-generated answer (seed 000, answer 3 'Activation of Credits'): credits "
    .. "not activated within activation_window_days (90) of being awarded generally cannot be activated "
    .. "afterwards. The window counts calendar days from awarded_on (day 0), so its last day is awarded_on + "
    .. "90. A credit is not activated while it has no activated_on and its status is not_redeemed. check "
    .. "warns about a credit not activated whose window has passed. decide credit.activate: after the "
    .. "window, denied (advisory: ask support, or use the next benefit year's credits); inside it, allowed "
    .. "with facts last_day and days_left (days after today, 0 on the last day). Redemption starts with "
    .. "the first assignment (seed 001, 'Activate or redeem your Azure credits'), so credit.assign on a credit "
    .. "not activated and never assigned before, and credit.use on a credit not activated, get the same "
    .. "verdict; a later assignment (a reassignment) starts nothing. Already activated or expired credits are "
    .. "not this rule's concern. alerts: a credit not activated whose window ends "
    .. "within the horizon, dated on the window's last day.",
  params = { activation_window_days = 90 },
  constrains = { "credits.activated_on", "credits.status", "credits.assignments" },
  no_say = {
    ["credit.reassign"] = "a reassignment changes the user of a credit assigned before; the window concerns the first assignment and activation",
  },

  check = function(state, ctx)
    local days = ctx.params.activation_window_days
    for _, credit in ipairs(state.credits) do
      if not_activated(credit) then
        local last = last_day(credit, ctx.params)
        if ctx.as_of > last then
          ctx.report{
            at = credit,
            message = ("credit %s, awarded on %s, was not activated within %d days (by %s); it generally "
              .. "cannot be activated any more"):format(credit.id, credit.awarded_on, days, pp.date_string(last)),
            remedy = ("ask Microsoft support whether %s can still be activated; %s"):format(credit.id, next_year(state)),
          }
        end
      end
    end
  end,

  alerts = function(state, ctx)
    local days = ctx.params.activation_window_days
    for _, credit in ipairs(state.credits) do
      if not_activated(credit) then
        local last = last_day(credit, ctx.params)
        if last >= ctx.as_of and last <= ctx.horizon then
          ctx.alert{
            at = credit,
            on = last,
            message = ("credit %s, awarded on %s, has not been activated; %s is the last of its %d days to "
              .. "activate, after which it generally cannot be activated"):format(
              credit.id, credit.awarded_on, pp.date_string(last), days),
            remedy = ("%s activates %s by %s"):format(who_activates(credit), credit.id, pp.date_string(last)),
          }
        end
      end
    end
  end,

  decide = {
    ["credit.activate"] = function(req, state, ctx)
      return judge_start(req.credit, state, ctx, "", "activate it")
    end,
    -- The first assignment of a credit is the first step of its redemption; a credit assigned
    -- before is being reassigned (credit.reassign), which starts nothing new.
    ["credit.assign"] = function(req, state, ctx)
      if pp.last_assigned_user(req.credit) ~= nil then
        return nil
      end
      return judge_start(req.credit, state, ctx, ", and assigning its first user is the first step of activating it",
        "assign its first user and have them activate it")
    end,
    -- Redeeming a credit that was never activated starts its benefit as activation does.
    ["credit.use"] = function(req, state, ctx)
      return judge_start(req.credit, state, ctx, ", and redeeming it would activate it", "redeem it")
    end,
  },
}
