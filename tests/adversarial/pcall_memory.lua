-- expect: stopped:
-- line: 9
-- A hostile policy (issue 20): it must stop with exit 2 and this file's line, within a second.
-- (nothing at the top)
return {
  id = "hostile.pcall-memory", title = "Hostile", severity = "error", description = "A hostile policy.",
  source = { seed = "001_5c53631e905999a7.txt", section = "View and remove assigned users" },
  check = function(state, ctx)
    while true do pcall(function() local t = {} for i = 1, 1e9 do t[i] = ('x'):rep(100) .. i end end) end
  end,
}
