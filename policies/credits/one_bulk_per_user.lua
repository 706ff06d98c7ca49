-- True while a bulk credit still counts as held: not expired and not past its end date.
local function current_bulk(credit, as_of)
  return credit.kind == "bulk" and credit.status ~= "expired"
    and (credit["end"] == nil or pp.date(credit["end"]) >= as_of)
end

-- An element's place in its list ("/users/17" -> 17), to keep users in document order.
local function position(entity)
  return tonumber(pp.pointer(entity):match("%d+$"))
end

local function ids(credits)
  local names = {}
  for _, credit in ipairs(credits) do
    names[#names + 1] = credit.id
  end
  return table.concat(names, ", ")
end

-- Every user's current bulk credits other than `except_id` (each list in document order), by
-- user id: one pass over the bulk credits (looked up), so the check grows with the state, not
-- with its square.
local function bulk_credits_by_user(state, except_id, as_of)
  local by_user = {}
  for _, credit in ipairs(pp.find_all(state.credits, "kind", "bulk")) do
    local user_id = pp.assigned_user(credit)
    if user_id ~= nil and credit.id ~= except_id and current_bulk(credit, as_of) then
      local held = by_user[user_id] or {}
      held[#held + 1] = credit
      by_user[user_id] = held
    end
  end
  return by_user
end

-- Shared by credit.assign and credit.reassign.
local function judge(req, state, ctx)
  local credit, user = req.credit, req.user
  if credit.kind ~= "bulk" then
    return nil
  end
  if user and user.is_new then
    return pp.allow(pp.say("new_user", { email = user.email }))
  end
  local by_user = bulk_credits_by_user(state, credit.id, ctx.as_of)
  if user == nil then
    -- "bob@contoso.com (BULK-1)", users in document order: only the holders are looked up.
    local holders = {}
    for user_id in pairs(by_user) do
      holders[#holders + 1] = pp.find(state.users, user_id)
    end
    table.sort(holders, function(a, b) return position(a) < position(b) end)
    local taken = {}
    for _, u in ipairs(holders) do
      taken[#taken + 1] = pp.say("holder", { email = u.email, ids = ids(by_user[u.id]) })
    end
    return #taken == 0 and pp.allow(pp.say("anyone", { credit = credit.id }))
      or pp.condition(pp.say("must_not", { users = table.concat(taken, ", ") }))
  end
  local held = by_user[user.id]
  if held == nil then
    return pp.allow(pp.say("holds_none", { email = user.email }))
  end
  local other = held[1]
  return pp.deny(pp.say("holds", { email = user.email, ids = ids(held) }),
    pp.say("give_other", { credit = credit.id, email = user.email, other = other.id,
      till = other["end"] and pp.say("until_day", { day = other["end"] })
        or pp.say("benefit_year") }))
end

---@type Rule
return {
  id = "credits.one-bulk-per-user",
  severity = "error",
  source = { seed = "001_5c53631e905999a7.txt", section = "What credits can I assign to a user?" },
  params = {},
  constrains = { "credits.assignments" },

  check = function(state, ctx)
    local by_user = bulk_credits_by_user(state, nil, ctx.as_of)
    for _, user in ipairs(state.users) do
      local held = by_user[user.id] or {}
      if #held > 1 then
        ctx.report{
          at = user,
          message = pp.say("too_many", { email = user.email, n = #held, ids = ids(held) }),
          remedy = pp.say("keep_one",
            { email = user.email, others = ids({ table.unpack(held, 2) }) }),
        }
      end
    end
  end,

  decide = {
    ["credit.assign"] = judge,
    ["credit.reassign"] = judge,
  },
}
