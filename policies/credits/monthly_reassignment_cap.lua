-- policies/credits/monthly_reassignment_cap.lua
--
-- An Azure monthly credit may change its assigned user after the initial assignment, at most
-- `max_reassignments` times (5 in the documentation, with no exceptions).
--
-- Counting follows docs/state-format.md and pp.reassignments: a reassignment is an "assigned"
-- event whose user differs from the user of the previous "assigned" event. The first
-- assignment is not one, and giving the credit back to its last user is not one either.

-- First other monthly credit (document order) that is not expired and still has
-- reassignments left, or nil.
local function other_monthly_credit(state, credit, cap)
  for _, other in ipairs(state.credits) do
    if other.id ~= credit.id and other.kind == "monthly" and other.status ~= "expired"
       and pp.reassignments(other) < cap then
      return other
    end
  end
  return nil
end

-- Shared by credit.assign and credit.reassign: both change the credit's user when it has
-- been assigned before.
local function judge(req, state, ctx)
  local credit = req.credit
  if credit.kind ~= "monthly" then
    return nil
  end
  local previous = pp.last_assigned_user(credit)
  if previous == nil then
    return nil -- initial assignment: the cap does not apply
  end

  local cap = ctx.params.max_reassignments
  local used = pp.reassignments(credit)
  local left = cap - used
  local new_user = req.user

  if new_user == nil then
    -- Open question: any user while reassignments are left; only the last user when none is.
    if left > 0 then
      return pp.allow(
        ("%d of %d reassignments left after this one (monthly credit %s, last assigned to %s)"):format(
          left - 1, cap, credit.id, pp.user_label(previous)),
        { reassignments_left = left - 1, reassignments_used = used + 1 })
    end
    local current = pp.assigned_user(credit)
    if current ~= nil then
      return pp.deny(
        ("monthly credit %s has already changed user %d times; the cap is %d reassignments per credit"):format(
          credit.id, used, cap),
        ("the cap has no exceptions: keep %s on credit %s, or assign the other user to another monthly credit that still has reassignments left%s"):format(
          pp.user_label(current), credit.id,
          (function()
            local other = other_monthly_credit(state, credit, cap)
            return other ~= nil and (", such as " .. other.id) or ""
          end)()))
    end
    return pp.condition(
      ("monthly credit %s has used all %d reassignments, so it can only go back to %s, its last user (that is no reassignment)"):format(
        credit.id, cap, pp.user_label(previous)),
      { reassignments_left = 0, reassignments_used = used })
  end
  if not new_user.is_new and new_user.id == previous then
    local still = left > 0 and left or 0
    return pp.allow(
      ("%s was the last user of credit %s, so assigning them again is not a reassignment; %d of %d reassignments remain"):format(
        pp.user_label(previous), credit.id, still, cap),
      { reassignments_left = still, reassignments_used = used })
  end

  if left <= 0 then
    local current = pp.assigned_user(credit)
    local keep
    if current ~= nil then
      keep = ("keep %s on credit %s"):format(pp.user_label(current), credit.id)
    else
      keep = ("give credit %s back to %s (that does not count as a reassignment)"):format(
        credit.id, pp.user_label(previous))
    end
    local other = other_monthly_credit(state, credit, cap)
    local elsewhere
    if other ~= nil then
      elsewhere = ("assign %s to another monthly credit that still has reassignments left, such as %s"):format(
        new_user.email, other.id)
    else
      elsewhere = ("assign %s to another monthly credit that still has reassignments left"):format(new_user.email)
    end
    return pp.deny(
      ("monthly credit %s has already changed user %d times; the cap is %d reassignments per credit"):format(
        credit.id, used, cap),
      ("the cap has no exceptions: %s, or %s"):format(keep, elsewhere))
  end

  return pp.allow(
    ("%d of %d reassignments left after this one (monthly credit %s moves from %s to %s)"):format(
      left - 1, cap, credit.id, pp.user_label(previous), new_user.email),
    { reassignments_left = left - 1, reassignments_used = used + 1 })
end

---@type Rule
return {
  id = "credits.monthly.reassignment-cap",
  title = "A monthly Azure credit changes user at most five times",
  severity = "error",
  source = { seed = "001_5c53631e905999a7.txt", section = "View and remove assigned users" },
  description = "After its first assignment, an Azure monthly credit can be given to a different user "
    .. "at most max_reassignments times (5), and no exceptions are granted (seed 001, 'View and remove "
    .. "assigned users' and FAQ 'Can I reassign credits?'). A change counts when the new user differs "
    .. "from the user of the previous assignment, whether the old user was removed first or replaced; "
    .. "the first assignment and giving the credit back to its last user do not count. check reports a "
    .. "monthly credit whose history shows more changes than the cap (exactly the cap is fine, with none "
    .. "left). decide: credit.reassign and credit.assign on a monthly credit that was assigned before are "
    .. "denied when no reassignment is left and otherwise allowed with the number left after this one "
    .. "(facts reassignments_left and reassignments_used, both counted after this change); a credit never "
    .. "assigned is an initial assignment on which this rule has no say; with the user left open the answer "
    .. "holds for any user. alerts (dated today) lists monthly credits with alert_when_left (1) or fewer "
    .. "reassignments left: a warning at 0, info above.",
  params = { max_reassignments = 5, alert_when_left = 1 },
  constrains = { "credits.assignments" },

  check = function(state, ctx)
    local cap = ctx.params.max_reassignments
    for _, credit in ipairs(state.credits) do
      if credit.kind == "monthly" then
        local used = pp.reassignments(credit)
        if used > cap then
          ctx.report{
            at = credit,
            message = ("monthly credit %s changed user %d times; at most %d reassignments are allowed per credit"):format(
              credit.id, used, cap),
            remedy = ("more than %d changes cannot happen in Partner Center, so check the assignment history of %s for "
              .. "wrongly recorded events, and make no further changes to its user"):format(cap, credit.id),
          }
        end
      end
    end
  end,

  -- Dated today: nothing lapses, but the next change of user may be the last or be refused.
  alerts = function(state, ctx)
    local cap = ctx.params.max_reassignments
    for _, credit in ipairs(state.credits) do
      if credit.kind == "monthly" and credit.status ~= "expired" then
        local left = cap - pp.reassignments(credit)
        if left >= 0 and left <= ctx.params.alert_when_left then
          local holder = pp.assigned_user(credit)
          local message, remedy
          if left == 0 then
            message = ("monthly credit %s has used all %d reassignments: any further change of user is refused"):format(
              credit.id, cap)
            remedy = ("keep %s on credit %s; give other users a monthly credit that still has reassignments left"):format(
              holder ~= nil and pp.user_label(holder) or "its last user", credit.id)
          else
            message = ("monthly credit %s has %d of %d reassignments left"):format(credit.id, left, cap)
            remedy = ("change the user of credit %s only when needed: after %d more change%s it stays with its user"):format(
              credit.id, left, left == 1 and "" or "s")
          end
          ctx.alert{ at = credit, on = ctx.as_of, message = message, remedy = remedy,
                     severity = left == 0 and "warning" or "info" }
        end
      end
    end
  end,

  decide = {
    ["credit.reassign"] = judge,
    ["credit.assign"] = judge,
  },
}
