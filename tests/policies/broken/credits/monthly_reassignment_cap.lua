-- tests/policies/broken/credits/monthly_reassignment_cap.lua: a DELIBERATELY BROKEN copy of
-- policies/credits/monthly_reassignment_cap.lua, for the tests that must catch a rule whose
-- decision disagrees with its own state check (tests/soundness_test.cc, tests/plan_command_test.cc).
-- Laid over a copy of the bundled policies, it replaces the real rule: its check still reports a
-- monthly credit that changed user more than five times, but its decide allows every
-- reassignment, so the sixth one is ALLOWED and leaves a state the check flags.

---@type Rule
return {
  id = "credits.monthly.reassignment-cap",
  severity = "error",
  source = { seed = "001_5c53631e905999a7.txt", section = "View and remove assigned users" },
  params = { max_reassignments = 5, alert_when_left = 1 }, -- as the real rule (policies.toml sets them)

  check = function(state, ctx)
    for _, credit in ipairs(state.credits) do
      if credit.kind == "monthly" and pp.reassignments(credit) > ctx.params.max_reassignments then
        ctx.report{
          at = credit,
          message = ("monthly credit %s changed user %d times"):format(credit.id, pp.reassignments(credit)),
        }
      end
    end
  end,

  decide = {
    ["credit.reassign"] = function(req, state, ctx)
      return pp.allow("any number of reassignments (broken on purpose)")
    end,
  },
}
