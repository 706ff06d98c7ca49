-- A benefit's key redeemed on the day of a key redemption of its subscription (of any, when the
-- benefit names none) is one redemption recorded twice, and counts once.

local function licenses(n)
  return lib.text.count(n, "license")
end

local key_id = lib.subscriptions.key_id

-- Every redemption of every key: a table key id (lib.subscriptions.key_id) -> list of { on, at,
-- where, subscription? } (and the key as first written in list.key), and the key ids in the order
-- they first appear.
local function redemptions_by_key(state)
  local by_key, order = {}, {}
  local function add(key, event)
    local id = key_id(key)
    if by_key[id] == nil then
      by_key[id] = { key = key } -- as first written, for messages
      order[#order + 1] = id
    end
    local list = by_key[id]
    event.index = #list + 1
    list[#list + 1] = event
  end
  for _, sub in ipairs(state.subscriptions) do
    for _, r in ipairs(sub.key_redemptions or {}) do
      add(r.key, { on = r.on, at = sub, subscription = sub.id,
        where = pp.say("in_subscription", { sub = sub.id, use = r.use }) })
    end
  end
  for _, benefit in ipairs(state.cloud_benefits) do
    for _, k in ipairs(benefit.product_keys or {}) do
      if k.redeemed_on ~= nil then
        local same = nil
        for _, e in ipairs(by_key[key_id(k.key)] or {}) do
          if e.subscription ~= nil and not e.claimed and e.on == k.redeemed_on
             and (benefit.subscription == nil or benefit.subscription == e.subscription) then
            same = e
            break
          end
        end
        if same ~= nil then
          same.claimed = true
        else
          add(k.key, { on = k.redeemed_on, at = benefit, where = pp.say("in_benefit", { benefit = benefit.id }) })
        end
      end
    end
  end
  return by_key, order
end

-- The product keys of `benefit` not yet redeemed, and their licenses in total.
local function unredeemed_keys(benefit)
  local keys, seats = {}, 0
  for _, k in ipairs(benefit and benefit.product_keys or {}) do
    if k.redeemed_on == nil then
      keys[#keys + 1] = k
      seats = seats + k.licenses
    end
  end
  return keys, seats
end

-- Oldest first; the same day in the order recorded.
local function by_date(events)
  table.sort(events, function(a, b)
    if a.on ~= b.on then
      return a.on < b.on
    end
    return a.index < b.index
  end)
  return events
end

-- The product key listed on a cloud benefit whose id (key_id) is `id`, and that benefit; nil when
-- no benefit lists it.
local function listed_key(state, id)
  for _, benefit in ipairs(state.cloud_benefits) do
    for _, k in ipairs(benefit.product_keys or {}) do
      if key_id(k.key) == id then
        return k, benefit
      end
    end
  end
  return nil, nil
end

local function new_keys(state)
  local membership = state.partner.membership
  return pp.say("new_keys", { offer = membership.offer, ends = membership["end"] })
end

-- Where new keys for `sub` come from: its benefit's keys redeemed nowhere (`by_key`), else the
-- next benefits.
local function new_key_hint(state, sub, by_key)
  local benefit = sub.benefit ~= nil and pp.find(state.cloud_benefits, sub.benefit) or nil
  local names = {}
  for _, k in ipairs((unredeemed_keys(benefit))) do
    if by_key[key_id(k.key)] == nil then
      names[#names + 1] = pp.say("key_licenses", { key = k.key, licenses = licenses(k.licenses) })
    end
  end
  return #names == 0 and new_keys(state) or pp.say("still_has", { benefit = benefit.id,
    count = lib.text.count(#names, "key"), names = table.concat(names, ", ") })
end

-- subscription.extend, subscription.add-licenses and subscription.reactivate redeem the key
-- `req.key`, whose licenses the request gives as `count` (nil when open) under `count_name`.
local function decide_key(req, state, count, count_name)
  local sub = req.subscription
  if sub.model ~= "product_key" then
    return nil -- modernized subscriptions take no keys: cloud.modernized-no-extension
  end
  local by_key = redemptions_by_key(state)
  local f = { key = req.key, sub = sub.id, product = sub.product, count = count, name = count_name }
  if req.key == nil then
    f.hint = new_key_hint(state, sub, by_key)
    return pp.condition(pp.say("key_must", f))
  end
  local id = key_id(req.key)
  if by_key[id] ~= nil then
    local first = by_date(by_key[id])[1]
    f.on, f.where, f.hint = first.on, first.where, new_key_hint(state, sub, by_key)
    return pp.deny(pp.say("already_redeemed", f), pp.say("redeem_unused", f))
  end
  local listed, benefit = listed_key(state, id)
  if listed == nil then
    return pp.allow(pp.say("not_recorded", f))
  end
  f.benefit, f.benefit_product, f.listed = benefit.id, benefit.product, listed.licenses
  f.licenses = licenses(listed.licenses)
  -- A key of the subscription's own benefit is for it whatever the product is called now.
  if benefit.id ~= sub.benefit and pp.lower(benefit.product) ~= pp.lower(sub.product) then
    local message = pp.say("other_product", f)
    f.hint = new_key_hint(state, sub, by_key)
    return pp.deny(message, pp.say("redeem_own_product", f))
  elseif count == nil then
    return pp.condition(pp.say("count_must", f), { key_licenses = listed.licenses })
  elseif count ~= listed.licenses then
    return pp.deny(pp.say("count_differs", f), pp.say("ask_again", f))
  end
  return pp.allow(pp.say("key_free", f), { key_licenses = listed.licenses })
end

---@type Rule
return {
  id = "cloud.key-single-use",
  severity = "error",
  source = { seed = "002_013589e162925edb.txt", section = "Activate a cloud subscription or cloud benefits" },
  params = { months_per_key = 12, max_extension_months = 36 },
  constrains = { "subscriptions.key_redemptions", "cloud_benefits.product_keys" },

  check = function(state, ctx)
    local by_key, order = redemptions_by_key(state)
    for _, id in ipairs(order) do
      local events = by_key[id]
      if #events > 1 then
        by_date(events)
        local parts = {}
        for _, e in ipairs(events) do
          parts[#parts + 1] = pp.say("on_for", { on = e.on, where = e.where })
        end
        ctx.report{ at = events[2].at,
          message = pp.say("redeemed_times", { key = events.key, times = #events,
            parts = table.concat(parts, ", ") }),
          remedy = pp.say("correct_records", { first = events[1].on }) }
      end
    end
  end,

  alerts = function(state, ctx)
    local per_key = ctx.params.months_per_key
    for _, sub in ipairs(state.subscriptions) do
      local ends = sub.model == "product_key" and sub.status == "active" and pp.date(sub["end"])
      if ends and ends >= ctx.as_of and ends <= ctx.horizon then
        local active = sub.active_licenses
        local benefit = sub.benefit ~= nil and pp.find(state.cloud_benefits, sub.benefit) or nil
        local keys, seats = unredeemed_keys(benefit)
        local f = { sub = sub.id, product = sub.product, ends = sub["end"], per_key = per_key,
          active = active, active_licenses = licenses(active),
          biggest = licenses((ctx.params.max_extension_months * active) // per_key),
          spare = #keys > 0 and pp.say("spare", { benefit = benefit.id, keys = #keys,
            s = #keys == 1 and "" or "s", licenses = licenses(seats) }) or "" }
        ctx.alert{ at = sub, on = ends, severity = "warning", message = pp.say("ends_soon", f),
          remedy = active > 0 and pp.say("extend_before", f) or pp.say("add_before", f) }
      end
    end
  end,

  decide = {
    ["benefit.redeem"] = function(req, state, ctx)
      local benefit = req.benefit
      if benefit.redemption ~= "product_key" or benefit.product_keys == nil or #benefit.product_keys == 0 then
        return nil
      end
      local per_key = ctx.params.months_per_key
      local keys, seats = unredeemed_keys(benefit)
      local total = #benefit.product_keys
      local f = { benefit = benefit.id, product = benefit.product, total = total, per_key = per_key,
        keys = #keys, s = total == 1 and "" or "s", licenses = licenses(seats) }
      if #keys == 0 then
        local last = nil
        for _, k in ipairs(benefit.product_keys) do
          if last == nil or k.redeemed_on > last then
            last = k.redeemed_on
          end
        end
        local sub = benefit.subscription ~= nil and pp.find(state.subscriptions, benefit.subscription)
        f.last = last
        f.running = sub and pp.say("runs_until", { sub = sub.id, ends = sub["end"] }) or ""
        f.new_keys = new_keys(state)
        return pp.deny(total == 1 and pp.say("only_key_used", f) or pp.say("all_keys_used", f),
          pp.say("none_left", f))
      end
      local ends = pp.add_months(ctx.as_of, per_key)
      return pp.allow(pp.say("keys_left", f),
        { keys_unredeemed = #keys, licenses_unredeemed = seats, new_subscription_end_date = pp.date_string(ends) })
    end,

    ["subscription.extend"] = function(req, state, ctx)
      return decide_key(req, state, req.key_licenses, "key-licenses")
    end,

    ["subscription.add-licenses"] = function(req, state, ctx)
      return decide_key(req, state, req.licenses, "licenses")
    end,

    ["subscription.reactivate"] = function(req, state, ctx)
      return decide_key(req, state, req.key_licenses, "key-licenses")
    end,
  },
}
