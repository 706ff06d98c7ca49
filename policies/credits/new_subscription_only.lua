local function linked(sub, credit)
  return sub.id == credit.azure_subscription or sub.credit == credit.id
end

-- Why the credit's redemption cannot have created `sub`, in words, or nil when it is its own.
local function not_created_by(sub, credit)
  if sub.type == "pay_as_you_go" then
    return pp.say("payg", { sub = sub.id })
  end
  local key = sub.credit ~= nil and sub.credit ~= credit.id and "other_credit"
    or not linked(sub, credit) and "not_linked"
    or pp.date(sub.created_on) < pp.date(credit.awarded_on) and "too_old"
  return key and pp.say(key, { sub = sub.id, other = sub.credit, credit = credit.id,
    created = sub.created_on, awarded = credit.awarded_on }) or nil
end

-- The credit's own subscription, or nil: the first linked one its redemption created.
local function own_subscription(state, credit)
  for _, sub in ipairs(lib.credits.subscriptions_of(state, credit)) do
    if not_created_by(sub, credit) == nil then
      return sub
    end
  end
end

-- The existing subscriptions `credit` cannot be used on: how many, and the first five ids.
-- Every subscription but its own ones is refused, so the count comes from the own ones, looked
-- up, and only the first few refused ones are read.
local function refused_subscriptions(state, credit)
  local own = 0
  for _, sub in ipairs(lib.credits.subscriptions_of(state, credit)) do
    own = own + (not_created_by(sub, credit) == nil and 1 or 0)
  end
  local shown = {}
  for _, sub in ipairs(state.azure_subscriptions) do
    if #shown == 5 then break end
    shown[#shown + 1] = not_created_by(sub, credit) and sub.id or nil
  end
  return #state.azure_subscriptions - own, shown
end

-- The smallest change: consume on the credit's own subscription, or redeem the credit to create
-- one; then move the resources from `from`.
local function remedy(credit, own, from)
  local f = { credit = credit.id, own = own and own.id, from = from.id }
  return pp.say("move", { target = pp.say(own and "use_own" or "redeem", f), from = f.from })
end

---@type Rule
return {
  id = "credits.new-subscription-only",
  severity = "error",
  source = { seed = "001_5c53631e905999a7.txt", section = "Activate or redeem your Azure credits" },
  params = {},
  constrains = { "credits.azure_subscription", "azure_subscriptions.credit" },

  check = function(state, ctx)
    -- The subscriptions whose credit field names each credit, by credit id: with
    -- credit.azure_subscription, every subscription linked to a credit without a search.
    local recorded_for = {}
    for _, sub in ipairs(state.azure_subscriptions) do
      if sub.credit ~= nil then
        recorded_for[sub.credit] = recorded_for[sub.credit] or {}
        table.insert(recorded_for[sub.credit], sub)
      end
    end
    for _, credit in ipairs(state.credits) do
      local subs = { table.unpack(recorded_for[credit.id] or {}) }
      local named = credit.azure_subscription and pp.find(state.azure_subscriptions, credit.azure_subscription)
      subs[#subs + 1] = named and named.credit ~= credit.id and named or nil
      for _, sub in ipairs(subs) do
        local f = { why = not_created_by(sub, credit), kind = credit.kind, credit = credit.id }
        if f.why then
          f.sub = sub.id
          ctx.report{ at = credit, message = pp.say("recorded_on", f), remedy = pp.say("fix", f) }
        end
      end
    end
  end,

  decide = {
    ["credit.use"] = function(req, state, ctx)
      local credit, target = req.credit, req.azure_subscription
      local own = own_subscription(state, credit)
      if target == nil then
        -- Open: `new` and the credit's own sponsorship are always fine; name the others.
        local refused, shown = refused_subscriptions(state, credit)
        local f = { fine = own and pp.say("own_or_new", { own = own.id }) or pp.say("new_one", {}),
          credit = credit.id, refused = lib.text.first_of(shown, refused) }
        return refused == 0 and pp.allow(pp.say("can_consume", f))
          or pp.condition(pp.say("must_be", f))
      end
      if target.is_new then return pp.allow(pp.say("new_creates", { credit = credit.id })) end
      local f = { why = not_created_by(target, credit), credit = credit.id, target = target.id }
      return f.why and pp.deny(pp.say("cannot_use", f), remedy(credit, own, target))
        or pp.allow(pp.say("own_there", f))
    end,

    -- Consolidating puts credits on one Azure subscription: each of them only on the sponsorship
    -- its own redemption created, so at most the credit that created it.
    ["credits.consolidate"] = function(req, state, ctx)
      local target = req.azure_subscription
      if req.credits == nil then
        local fits = {} -- only a credit linked to the target can have created it
        for _, credit in ipairs(lib.credits.on_subscription(state, target)) do
          fits[#fits + 1] = not not_created_by(target, credit) and credit.id or nil
        end
        local f = { sub = target.id, fits = table.concat(fits, ", ") }
        return #fits == 0 and pp.deny(pp.say("none_fits", f), pp.say("use_each", f))
          or pp.condition(pp.say("must_fit", f))
      end
      local refused, first = {}, nil
      for _, credit in ipairs(req.credits) do
        local why = not_created_by(target, credit)
        if why ~= nil then
          refused[#refused + 1] = pp.say("refused", { credit = credit.id, why = why })
          first = first or credit
        end
      end
      local f = { sub = target.id, refused = table.concat(refused, "; ") }
      return first and pp.deny(pp.say("cannot_put", f),
        remedy(first, own_subscription(state, first), target))
        or pp.allow(pp.say("created_by_listed", f))
    end,
  },
}
