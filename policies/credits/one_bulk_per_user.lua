-- policies/credits/one_bulk_per_user.lua
--
-- A user can be assigned to at most one Azure bulk (yearly) credit at a time. Holding one
-- active monthly credit as well is fine; so is holding last year's bulk credit after it ended.

-- True while a bulk credit still counts as held: not expired and not past its end date.
local function current_bulk(credit, as_of)
  if credit.kind ~= "bulk" or credit.status == "expired" then
    return false
  end
  local last_day = credit["end"]
  return last_day == nil or pp.date(last_day) >= as_of
end

-- The current bulk credits (document order) assigned to `user_id`, other than `except_id`.
local function bulk_credits_of(state, user_id, except_id, as_of)
  local held = {}
  for _, credit in ipairs(state.credits) do
    if credit.id ~= except_id and current_bulk(credit, as_of) and pp.assigned_user(credit) == user_id then
      held[#held + 1] = credit
    end
  end
  return held
end

local function ids(credits)
  local names = {}
  for _, credit in ipairs(credits) do
    names[#names + 1] = credit.id
  end
  return table.concat(names, ", ")
end

local function until_text(credit)
  if credit["end"] ~= nil then
    return "until " .. credit["end"]
  end
  return "for its benefit year"
end

-- Every user's current bulk credits other than `except_id` (each list in document order), by
-- user id: one pass over the credits, so the check grows with the state, not with its square.
local function bulk_credits_by_user(state, except_id, as_of)
  local by_user = {}
  for _, credit in ipairs(state.credits) do
    local user_id = pp.assigned_user(credit)
    if user_id ~= nil and credit.id ~= except_id and current_bulk(credit, as_of) then
      local held = by_user[user_id] or {}
      held[#held + 1] = credit
      by_user[user_id] = held
    end
  end
  return by_user
end

-- Users (document order) holding a current bulk credit other than `except_id`, as
-- "bob@contoso.com (BULK-1)" labels.
local function holders(state, except_id, as_of)
  local found = {}
  local by_user = bulk_credits_by_user(state, except_id, as_of)
  for _, user in ipairs(state.users) do
    local held = by_user[user.id] or {}
    if #held > 0 then
      found[#found + 1] = ("%s (%s)"):format(user.email, ids(held))
    end
  end
  return found
end

-- Shared by credit.assign and credit.reassign.
local function judge(req, state, ctx)
  local credit = req.credit
  if credit.kind ~= "bulk" then
    return nil
  end
  local user = req.user
  if user == nil then
    local taken = holders(state, credit.id, ctx.as_of)
    if #taken == 0 then
      return pp.allow(("no user holds another bulk credit, so anyone can hold bulk credit %s"):format(credit.id))
    end
    return pp.condition(
      ("the user must not already hold another Azure bulk credit (a monthly credit is fine); these users do: %s"):format(
        table.concat(taken, ", ")))
  end
  if user.is_new then
    return pp.allow(("%s is a new user and holds no bulk credit yet"):format(user.email))
  end
  local held = bulk_credits_of(state, user.id, credit.id, ctx.as_of)
  if #held > 0 then
    local other = held[1]
    return pp.deny(
      ("%s already holds Azure bulk credit %s, and a user can hold only one bulk credit"):format(user.email, ids(held)),
      ("give bulk credit %s to a user who holds no other bulk credit; %s keeps bulk credit %s %s"):format(
        credit.id, user.email, other.id, until_text(other)))
  end
  return pp.allow(("%s holds no other Azure bulk credit"):format(user.email))
end

---@type Rule
return {
  id = "credits.one-bulk-per-user",
  title = "A user holds at most one Azure bulk credit",
  severity = "error",
  source = { seed = "001_5c53631e905999a7.txt", section = "What credits can I assign to a user?" },
  description = "A user can be assigned to an active Azure monthly credit and an Azure bulk credit at the "
    .. "same time, but never to more than one bulk credit (seed 001, FAQ 'What credits can I assign to a "
    .. "user?'). A bulk credit counts while it is held: its current user (pp.assigned_user), status not "
    .. "expired and its end date not passed, so last year's ended bulk credit does not stop a user from "
    .. "getting this year's. check reports a user currently holding two or more bulk credits. decide "
    .. "credit.assign and credit.reassign of a bulk credit: denied when the user already holds another "
    .. "bulk credit (the remedy names it); with the user left open, a condition naming the users who "
    .. "hold one. Monthly credits are not this rule's concern. No parameters.",
  params = {},
  constrains = { "credits.assignments" },

  check = function(state, ctx)
    local by_user = bulk_credits_by_user(state, nil, ctx.as_of)
    for _, user in ipairs(state.users) do
      local held = by_user[user.id] or {}
      if #held > 1 then
        ctx.report{
          at = user,
          message = ("%s holds %d Azure bulk credits (%s); a user can hold only one"):format(
            user.email, #held, ids(held)),
          remedy = ("keep %s on one bulk credit and remove them from the others (%s); a bulk credit cannot be "
            .. "reassigned within its benefit year, so check the assignment history first"):format(
            user.email, ids({ table.unpack(held, 2) })),
        }
      end
    end
  end,

  decide = {
    ["credit.assign"] = judge,
    ["credit.reassign"] = judge,
  },
}
