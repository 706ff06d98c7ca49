-- expect: setmetatable: __gc finalizers are not available
-- line: 4
-- A hostile policy (issue 20): it must stop with exit 2 and this file's line, within a second.
setmetatable({}, { __gc = function() while true do end end })
return {
  id = "hostile.finalizer-at-top", title = "Hostile", severity = "error", description = "A hostile policy.",
  source = { seed = "001_5c53631e905999a7.txt", section = "View and remove assigned users" },
  check = function(state, ctx)
    -- (nothing in the check)
  end,
}
