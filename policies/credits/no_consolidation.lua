-- Adds `credit` to a tally of credits by package, in order of first appearance:
-- { order = { "P1", "P2" }, credits = { P1 = { "MC-1", "MC-5" }, P2 = { "MC-2" } } }.
local function count(t, credit)
  local ids = t.credits[credit.package]
  if ids == nil then
    ids = {}
    t.credits[credit.package], t.order[#t.order + 1] = ids, credit.package
  end
  if not pp.contains(ids, credit.id) then
    ids[#ids + 1] = credit.id
  end
end

-- The tally of `credits`, added to `t` when given.
local function tally(credits, t)
  t = t or { order = {}, credits = {} }
  for _, credit in ipairs(credits) do
    count(t, credit)
  end
  return t
end

-- The tally of the credits on each subscription at once, by subscription id: one pass over the
-- subscriptions and one over the credits (each tally in document order, as decide counts).
local function tallies(state)
  local subs_of_credit, by_sub = {}, {}
  for _, sub in ipairs(state.azure_subscriptions) do
    if sub.credit ~= nil then
      subs_of_credit[sub.credit] = subs_of_credit[sub.credit] or {}
      table.insert(subs_of_credit[sub.credit], sub.id)
    end
  end
  for _, credit in ipairs(state.credits) do
    local subs = { table.unpack(subs_of_credit[credit.id] or {}) }
    subs[#subs + 1] = credit.azure_subscription
    for _, sub_id in ipairs(subs) do
      by_sub[sub_id] = tally({ credit }, by_sub[sub_id])
    end
  end
  return by_sub
end

-- "PKG-AZURE (MC-1, MC-5) and PKG-MW (MC-2)"
local function packages_words(t)
  local parts = {}
  for _, package in ipairs(t.order) do
    parts[#parts + 1] = package .. " (" .. table.concat(t.credits[package], ", ") .. ")"
  end
  return lib.text.join(parts, "and")
end

-- The smallest change to a request whose credits (with those on the subscription) span 2+
-- packages: `f` describes the subscription, `asked` tallies the credits asked for.
local function remedy(f, existing, asked)
  if #existing.order < 2 then
    f.keep = f.package or asked.order[1]
    local others = {}
    for _, package in ipairs(asked.order) do
      if package ~= f.keep then
        others[#others + 1] = table.concat(asked.credits[package], ", ")
      end
    end
    f.others = table.concat(others, ", ")
  end
  local change = pp.say(#existing.order >= 2 and "no_further" or "only_package", f)
  return pp.say("apart", { change = change })
end

---@type Rule
return {
  id = "credits.no-consolidation",
  severity = "warning",
  source = { seed = "000_47716db5bb235c69.txt",
             section = "Clarification Request: MAICPP Credit Delegation, Visibility, Activation, and Alerting Limitations" },
  params = {},
  constrains = { "credits.azure_subscription", "azure_subscriptions.credit" },
  no_say = {
    ["credit.use"] = "credits.new-subscription-only refuses a credit any subscription its redemption did not create, so no other package's credit joins one",
  },

  check = function(state, ctx)
    local by_sub = tallies(state)
    for _, sub in ipairs(state.azure_subscriptions) do
      local t = by_sub[sub.id]
      if t and #t.order >= 2 then
        local f = { sub = sub.id, n = #t.order, packages = packages_words(t), first = t.order[1] }
        ctx.report{ at = sub, message = pp.say("mixed", f), remedy = pp.say("keep_first", f) }
      end
    end
  end,

  decide = {
    ["credits.consolidate"] = function(req, state, ctx)
      local sub = req.azure_subscription
      local existing = tally(lib.credits.on_subscription(state, sub))
      local f = { sub = sub.id, carries = packages_words(existing), package = existing.order[1] }
      f.on = #existing.order == 1 and pp.say("on_sub",
        { ids = table.concat(existing.credits[f.package], ", "), sub = sub.id }) or ""
      if req.credits == nil then
        if #existing.order >= 2 then
          return pp.deny(pp.say("already_mixed", f), remedy(f, existing))
        end
        local all = tally(state.credits)
        local one = #all.order <= 1
        f.packages = packages_words(all)
        local key = f.package and (one and "all_from_package" or "must_be_package")
          or (one and "all_from_one" or "must_be_one")
        return (one and pp.allow or pp.condition)(pp.say(key, f))
      end
      -- The host refuses an empty credits list, so the union has at least one package.
      local union, asked = tally(req.credits, tally(lib.credits.on_subscription(state, sub))),
        tally(req.credits)
      if #union.order >= 2 then
        f.already = #existing.order > 0 and pp.say("already", f) or ""
        f.packages = packages_words(union)
        return pp.deny(pp.say("cannot_mix", f), remedy(f, existing, asked))
      end
      f.package, f.ids = union.order[1], table.concat(union.credits[union.order[1]], ", ")
      return pp.allow(pp.say("one_package", f), { package = f.package })
    end,
  },
}
