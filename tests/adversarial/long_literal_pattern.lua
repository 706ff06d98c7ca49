-- expect: is too costly for a subject of 4000000 bytes
-- line: 9
-- A hostile policy (issue 20): it must stop with exit 2 and this file's line, within a second.
-- (nothing at the top)
return {
  id = "hostile.long-literal-pattern", title = "Hostile", severity = "error", description = "A hostile policy.",
  source = { seed = "001_5c53631e905999a7.txt", section = "View and remove assigned users" },
  check = function(state, ctx)
    local s = ('a'):rep(4e6) local r = s:find(('a'):rep(2e6) .. 'b')
  end,
}
