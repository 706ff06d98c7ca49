-- expect: stopped: ran for more than 10 CPU seconds
-- line: 9
-- within: 60
-- Comparing two long strings is one instruction: only the CPU-time backstop stops this (in 10 s).
return {
  id = "hostile.compare-long-strings", title = "Hostile", severity = "error", description = "A hostile policy.",
  source = { seed = "001_5c53631e905999a7.txt", section = "View and remove assigned users" },
  check = function(state, ctx)
    local a, b = ('x'):rep(1e6) .. 'a', ('x'):rep(1e6) .. 'b' while true do local c = a < b end
  end,
}
