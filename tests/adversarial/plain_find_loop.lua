-- expect: stopped: instruction budget
-- line: 9
-- A hostile policy (issue 20): it must stop with exit 2 and this file's line, within a second.
-- (nothing at the top)
return {
  id = "hostile.plain-find-loop", title = "Hostile", severity = "error", description = "A hostile policy.",
  source = { seed = "001_5c53631e905999a7.txt", section = "View and remove assigned users" },
  check = function(state, ctx)
    local s, p = ('a'):rep(4e6), ('a'):rep(2e6) .. 'b' while true do local r = s:find(p, 1, true) end
  end,
}
