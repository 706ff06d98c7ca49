-- policies/cloud/key_single_use.lua
--
-- A 5x5 product key can be redeemed only once, and each key gives months_per_key (12) months of
-- service from the day it is redeemed. A product-key subscription therefore runs out unless a new,
-- unredeemed key extends it: the alerts name the subscriptions that end soon.
--
-- Redemptions are read from two places: subscriptions[].key_redemptions (each entry one
-- redemption) and cloud_benefits[].product_keys[].redeemed_on. A benefit's key redeemed on the same
-- day as a key redemption of its own subscription (or of any subscription, when the benefit names
-- none) is the same redemption recorded twice, and counts once.

-- "1 license", "25 licenses".
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
    local list = by_key[id]
    if list == nil then
      list = {}
      list.key = key -- as first written, for messages
      by_key[id] = list
      order[#order + 1] = id
    end
    event.index = #list + 1
    list[#list + 1] = event
  end
  for _, sub in ipairs(state.subscriptions) do
    if sub.key_redemptions ~= nil then
      for _, r in ipairs(sub.key_redemptions) do
        add(r.key, { on = r.on, at = sub, where = ("subscription %s (%s)"):format(sub.id, r.use), subscription = sub.id })
      end
    end
  end
  for _, benefit in ipairs(state.cloud_benefits) do
    if benefit.product_keys ~= nil then
      for _, k in ipairs(benefit.product_keys) do
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
            add(k.key, { on = k.redeemed_on, at = benefit, where = ("benefit %s"):format(benefit.id) })
          end
        end
      end
    end
  end
  return by_key, order
end

-- The product keys of `benefit` not yet redeemed, and their licenses in total.
local function unredeemed_keys(benefit)
  local keys, seats = {}, 0
  if benefit ~= nil and benefit.product_keys ~= nil then
    for _, k in ipairs(benefit.product_keys) do
      if k.redeemed_on == nil then
        keys[#keys + 1] = k
        seats = seats + k.licenses
      end
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
    if benefit.product_keys ~= nil then
      for _, k in ipairs(benefit.product_keys) do
        if key_id(k.key) == id then
          return k, benefit
        end
      end
    end
  end
  return nil, nil
end

-- Where new keys for `sub` come from: its benefit's keys redeemed nowhere (`by_key`), else the
-- next benefits.
local function new_key_hint(state, sub, by_key)
  local benefit = sub.benefit ~= nil and pp.find(state.cloud_benefits, sub.benefit) or nil
  local names = {}
  for _, k in ipairs((unredeemed_keys(benefit))) do
    if by_key[key_id(k.key)] == nil then
      names[#names + 1] = ("%s (%s)"):format(k.key, licenses(k.licenses))
    end
  end
  if #names > 0 then
    return ("benefit %s still has %s not yet redeemed: %s"):format(
      benefit.id, lib.text.count(#names, "key"), table.concat(names, ", "))
  end
  local membership = state.partner.membership
  return ("new keys come with the next benefits, after the membership (%s) is renewed before it ends on %s, or buy "
    .. "a paid subscription"):format(membership.offer, membership["end"])
end

-- subscription.extend, subscription.add-licenses and subscription.reactivate redeem the key
-- `req.key`, whose licenses the request gives as `count` (nil when open) under `count_name`.
local function decide_key(req, state, count, count_name)
  local sub = req.subscription
  if sub.model ~= "product_key" then
    return nil -- modernized subscriptions take no keys: cloud.modernized-no-extension
  end
  local by_key = redemptions_by_key(state)
  if req.key == nil then
    return pp.condition(
      ("the product key must be one that was never redeemed (a product key is redeemed only once); %s"):format(
        new_key_hint(state, sub, by_key)))
  end
  local id = key_id(req.key)
  local events = by_key[id]
  if events ~= nil then
    local first = by_date(events)[1]
    return pp.deny(
      ("product key %s was already redeemed on %s for %s; a product key can be redeemed only once"):format(
        req.key, first.on, first.where),
      ("redeem a key that was never redeemed on %s: %s"):format(sub.id, new_key_hint(state, sub, by_key)))
  end
  local listed, benefit = listed_key(state, id)
  if listed == nil then
    return pp.allow(("product key %s is not recorded as redeemed, so it can be redeemed once"):format(req.key))
  end
  -- A key of the subscription's own benefit is for it whatever the product is called now.
  if benefit.id ~= sub.benefit and pp.lower(benefit.product) ~= pp.lower(sub.product) then
    return pp.deny(
      ("product key %s is a key of benefit %s (%s), not of %s, the product of subscription %s"):format(
        req.key, benefit.id, benefit.product, sub.product, sub.id),
      ("redeem a key of %s on %s; %s"):format(sub.product, sub.id, new_key_hint(state, sub, by_key)))
  end
  if count == nil then
    return pp.condition(
      ("%s must be %d: product key %s of benefit %s carries %s"):format(
        count_name, listed.licenses, req.key, benefit.id, licenses(listed.licenses)),
      { key_licenses = listed.licenses })
  end
  if count ~= listed.licenses then
    return pp.deny(
      ("product key %s of benefit %s carries %s, not %d"):format(req.key, benefit.id, licenses(listed.licenses), count),
      ("ask again with %s=%d, the licenses of key %s"):format(count_name, listed.licenses, req.key))
  end
  return pp.allow(
    ("product key %s of benefit %s (%s) is not yet redeemed, so it can be redeemed once"):format(
      req.key, benefit.id, licenses(listed.licenses)),
    { key_licenses = listed.licenses })
end

---@type Rule
return {
  id = "cloud.key-single-use",
  title = "A product key is redeemed once and gives 12 months from its redemption",
  severity = "error",
  source = { seed = "002_013589e162925edb.txt", section = "Activate a cloud subscription or cloud benefits" },
  description = "After a product key is redeemed it cannot be redeemed a second time, and each key gives "
    .. "months_per_key (12) months of service from the day it is redeemed (seed 002, 'Activate a cloud "
    .. "subscription or cloud benefits' and the note under 'Add more licenses to an existing subscription'). "
    .. "check reports a key redeemed more than once: the same key string in two key redemptions (on any "
    .. "subscriptions), or a benefit's product key redeemed on a day for which no key redemption of its "
    .. "subscription is recorded while another redemption of the key is; the finding is on the entity of "
    .. "the second redemption. decide benefit.redeem of a product-key benefit: denied when every listed key "
    .. "was already redeemed, otherwise allowed with keys_unredeemed, licenses_unredeemed and "
    .. "new_subscription_end_date (today + months_per_key months, clamped to the month's last day); no say "
    .. "without listed keys or on keyless benefits. decide subscription.extend, subscription.add-licenses "
    .. "and subscription.reactivate of a product-key subscription, by the request's key: denied when that "
    .. "key was already redeemed anywhere (keys compare in upper case without dashes), when another benefit than "
    .. "the subscription's lists it for another product, or when the licenses asked about differ from those "
    .. "the benefit lists for it; allowed otherwise; with the key open, the condition that it be one never "
    .. "redeemed (naming the benefit's unredeemed keys). No say on modernized subscriptions, which take no "
    .. "keys (cloud.modernized-no-extension). alerts: an active product-key subscription ending between today and "
    .. "the horizon (warning, dated on its end), remedy: extend it with a new key of at most "
    .. "max_extension_months / months_per_key x its active licenses.",
  params = { months_per_key = 12, max_extension_months = 36 },
  constrains = { "subscriptions.key_redemptions", "cloud_benefits.product_keys" },

  check = function(state, ctx)
    local by_key, order = redemptions_by_key(state)
    for _, id in ipairs(order) do
      local events = by_key[id]
      if #events > 1 then
        by_date(events)
        local key = events.key
        local parts = {}
        for _, e in ipairs(events) do
          parts[#parts + 1] = ("on %s for %s"):format(e.on, e.where)
        end
        ctx.report{
          at = events[2].at,
          message = ("product key %s was redeemed %d times (%s); a product key can be redeemed only once"):format(
            key, #events, table.concat(parts, ", ")),
          remedy = ("the service refuses a key that was already redeemed, so correct the records after the first "
            .. "redemption on %s: each later redemption needs its own, new key"):format(events[1].on),
        }
      end
    end
  end,

  alerts = function(state, ctx)
    local per_key = ctx.params.months_per_key
    for _, sub in ipairs(state.subscriptions) do
      if sub.model == "product_key" and sub.status == "active" then
        local ends = pp.date(sub["end"])
        if ends >= ctx.as_of and ends <= ctx.horizon then
          local active = sub.active_licenses
          local biggest = (ctx.params.max_extension_months * active) // per_key
          local spare = ""
          local benefit = sub.benefit ~= nil and pp.find(state.cloud_benefits, sub.benefit) or nil
          local keys, seats = unredeemed_keys(benefit)
          if #keys > 0 then
            spare = ("; benefit %s still has %d unredeemed key%s (%s)"):format(
              benefit.id, #keys, #keys == 1 and "" or "s", licenses(seats))
          end
          local remedy
          if active > 0 then
            remedy = ("before %s, extend %s with a new, unredeemed product key of at most %s (a key of K licenses adds "
              .. "%d x K / %d months)%s; after it expires it can only be reactivated with a new key"):format(
              sub["end"], sub.id, licenses(biggest), per_key, active, spare)
          else
            remedy = ("before %s, add licenses to %s with a new, unredeemed product key (with no active licenses there "
              .. "is nothing to extend)%s"):format(sub["end"], sub.id, spare)
          end
          ctx.alert{
            at = sub,
            on = ends,
            severity = "warning",
            message = ("product-key subscription %s (%s, %s active) ends on %s; its keys give %d months each from redemption and cannot be redeemed again"):format(
              sub.id, sub.product, licenses(active), sub["end"], per_key),
            remedy = remedy,
          }
        end
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
      if #keys == 0 then
        local last = nil
        for _, k in ipairs(benefit.product_keys) do
          if last == nil or k.redeemed_on > last then
            last = k.redeemed_on
          end
        end
        local running = ""
        if benefit.subscription ~= nil then
          local sub = pp.find(state.subscriptions, benefit.subscription)
          running = (" (subscription %s runs until %s)"):format(sub.id, sub["end"])
        end
        local which = total == 1 and "the only product key" or ("all %d product keys"):format(total)
        return pp.deny(
          ("%s of benefit %s (%s) %s already redeemed, the last on %s; a product key can be redeemed only once"):format(
            which, benefit.id, benefit.product, total == 1 and "was" or "were", last),
          ("no key of %s is left to redeem%s: new keys come with the next benefits, after the membership (%s) is renewed "
            .. "before it ends on %s, or buy a paid subscription"):format(
            benefit.id, running, state.partner.membership.offer, state.partner.membership["end"]))
      end
      local ends = pp.add_months(ctx.as_of, per_key)
      return pp.allow(
        ("benefit %s (%s) has %d of %d product key%s not yet redeemed (%s); each gives %d months of service from the day it is redeemed and cannot be redeemed again"):format(
          benefit.id, benefit.product, #keys, total, total == 1 and "" or "s", licenses(seats), per_key),
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
