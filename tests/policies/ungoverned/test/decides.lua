-- Decides credit.assign: a credit with a user already keeps it.
return {
  id = "test.decides",
  title = "A credit with a user is not assigned again",
  severity = "error",
  source = { seed = "001_5c53631e905999a7.txt", section = "View and remove assigned users" },
  description = "decide credit.assign: denied when the credit has a user.",
  constrains = { "credits.assignments" },

  decide = {
    ["credit.assign"] = function(req, state, ctx)
      if pp.assigned_user(req.credit) ~= nil then
        return pp.deny("the credit has a user", "keep the user")
      end
      return pp.allow("the credit has no user")
    end,
  },
}
