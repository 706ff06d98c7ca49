-- expect: stopped: memory budget
-- line: 9
-- A hostile policy (issue 20): it must stop with exit 2 and this file's line, within a second.
-- (nothing at the top)
return {
  id = "hostile.many-messages", title = "Hostile", severity = "error", description = "A hostile policy.",
  source = { seed = "001_5c53631e905999a7.txt", section = "View and remove assigned users" },
  check = function(state, ctx)
    local m = ('x'):rep(1000) for i = 1, 300000 do ctx.report{ at = state.partner, message = m } end
  end,
}
