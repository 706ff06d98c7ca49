-- Decides credit.teleport, which actions.toml does not declare: loading fails at its key.
return {
  id = "test.teleport",
  title = "Decides an action nobody declared",
  severity = "error",
  source = { seed = "001_5c53631e905999a7.txt", section = "View and remove assigned users" },
  description = "Test double for the load error of an undeclared action.",
  constrains = { "credits.amount" },
  decide = {
    ["credit.teleport"] = function() end,
  },
}
