-- policies/credits/bulk_no_reassignment.lua
--
-- An Azure bulk (yearly) credit keeps the user it was first given for its whole benefit year.
-- A different user can only get the next year's bulk credit, awarded after the membership is
-- renewed.

-- "it ends on 2026-06-30" when the credit records its end date, else a description.
local function credit_end(credit)
  local last_day = credit["end"]
  if last_day ~= nil then
    return "it ends on " .. last_day
  end
  return "the end of its benefit year (no end date is recorded)"
end

-- The renewal path, naming the credit's end date and the membership end date.
local function renewal_path(state, credit, who)
  return ("keep the current user on bulk credit %s until %s; renew the membership (the current term ends on %s) "
    .. "and assign %s to the bulk credit awarded for the next benefit year"):format(
      credit.id, credit_end(credit), state.partner.membership["end"], who)
end

-- Shared by credit.assign and credit.reassign.
local function judge(req, state, ctx)
  local credit = req.credit
  if credit.kind ~= "bulk" then
    return nil
  end
  local previous = pp.last_assigned_user(credit)
  if previous == nil then
    -- Initial assignment: allowed, but the choice holds for the whole benefit year, so say so.
    local who = req.user ~= nil and req.user.email or "the user chosen now"
    return pp.allow(
      ("this is the first assignment of bulk (yearly) credit %s: %s keeps it until %s, as a bulk credit cannot be reassigned during its benefit year"):format(
        credit.id, who, credit["end"] or "the end of its benefit year"),
      { fixed_until = credit["end"] })
  end
  local new_user = req.user
  local holder = pp.assigned_user(credit)
  if new_user == nil then
    -- Open question: only the last user may get it back, and only when nobody holds it now.
    if holder == nil then
      return pp.condition(
        ("bulk (yearly) credit %s can only go back to %s, its last user, until the next benefit year (%s)"):format(
          credit.id, pp.user_label(previous), credit_end(credit)))
    end
    return pp.deny(
      ("bulk (yearly) credit %s is assigned to %s, and a bulk credit cannot be reassigned to another user during its benefit year"):format(
        credit.id, pp.user_label(holder)),
      renewal_path(state, credit, "the other user"))
  end
  if not new_user.is_new and new_user.id == previous then
    return nil -- the same user again: not a change of user
  end
  local was
  if holder ~= nil then
    was = "is assigned to " .. pp.user_label(holder)
  else
    was = "was assigned to " .. pp.user_label(previous)
  end
  return pp.deny(
    ("bulk (yearly) credit %s %s, and a bulk credit cannot be reassigned to another user during its benefit year"):format(
      credit.id, was),
    renewal_path(state, credit, new_user.email))
end

---@type Rule
return {
  id = "credits.bulk.no-reassignment",
  title = "A bulk (yearly) Azure credit cannot be reassigned",
  severity = "error",
  source = { seed = "001_5c53631e905999a7.txt", section = "View and remove assigned users" },
  description = "An Azure bulk (yearly) credit keeps its user for the benefit year: reassignment is not "
    .. "supported, and a new user can only be given the bulk credit of the next year, after the "
    .. "membership is renewed (seed 001, 'View and remove assigned users'). A bulk credit record covers "
    .. "one benefit year, so check reports any bulk credit with at least one reassignment in its history "
    .. "(pp.reassignments). decide denies credit.reassign and credit.assign on a bulk credit that was "
    .. "assigned before when the new user differs from its last user; the remedy gives the credit's end "
    .. "date and the membership end date; with the user left open it denies when someone holds the credit "
    .. "and otherwise says only its last user may get it back. A first assignment is allowed with a "
    .. "reminder that the user is fixed until the credit's end (fact fixed_until). Monthly credits and "
    .. "giving the credit back to its last user are not this rule's concern.",
  params = {},
  constrains = { "credits.assignments" },

  check = function(state, ctx)
    for _, credit in ipairs(state.credits) do
      if credit.kind == "bulk" then
        local changes = pp.reassignments(credit)
        if changes > 0 then
          ctx.report{
            at = credit,
            message = ("bulk (yearly) credit %s changed user %d time%s within its benefit year; bulk credits cannot be reassigned"):format(
              credit.id, changes, changes == 1 and "" or "s"),
            remedy = ("check the assignment history of %s for wrongly recorded events; from now on, "):format(credit.id)
              .. renewal_path(state, credit, "any other user"),
          }
        end
      end
    end
  end,

  decide = {
    ["credit.reassign"] = judge,
    ["credit.assign"] = judge,
  },
}
