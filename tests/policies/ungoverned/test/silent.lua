-- Reports credits assigned more than three times, and has no say on credit.assign, which adds
-- an assignment: the unexplained pair lint must report.
return {
  id = "test.silent",
  title = "A credit is assigned at most three times",
  severity = "error",
  source = { seed = "001_5c53631e905999a7.txt", section = "View and remove assigned users" },
  description = "check: a credit whose history holds more than three assignments.",
  constrains = { "credits.assignments" },

  check = function(state, ctx)
    for _, credit in ipairs(state.credits) do
      if #credit.assignments > 3 then
        ctx.report{ at = credit, message = "assigned more than three times", remedy = "assign less" }
      end
    end
  end,
}
