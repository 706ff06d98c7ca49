-- expect: stopped: instruction budget
-- line: 9
-- A hostile policy (issue 20): it must stop with exit 2 and this file's line, within a second.
-- (nothing at the top)
return {
  id = "hostile.table-move", title = "Hostile", severity = "error", description = "A hostile policy.",
  source = { seed = "001_5c53631e905999a7.txt", section = "View and remove assigned users" },
  check = function(state, ctx)
    table.move({}, 1, 1e15, 2)
  end,
}
