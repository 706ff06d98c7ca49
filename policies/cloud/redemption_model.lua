-- What the rule expects of `benefit`: "keyless" or "product_key", the benefit's package, and a
-- sentence saying why.
local function expected_model(state, benefit)
  local partner = state.partner
  local package = pp.find(state.benefit_packages, benefit.package)
  local f = { offer = pp.say("offer", { package = package.id, name = package.name,
    bought = package.purchased_on }) }
  local since = partner.modernized_redemption_since
  f.since, f.country = since, partner.country
  if since == nil then
    return "product_key", package, pp.say("not_live", f)
  elseif pp.date(package.purchased_on) >= pp.date(since) then
    return "keyless", package, pp.say("after_live", f)
  end
  return "product_key", package, pp.say("before_live", f)
end

local function model_words(model)
  return model == "keyless" and pp.say("keyless") or pp.say("product_key")
end

-- The verdict's words and the remedy when the recorded redemption is not the expected one.
local function mismatch(state, benefit, expected, why)
  local f = { benefit = benefit.id, product = benefit.product, why = why,
    since = state.partner.modernized_redemption_since, country = state.partner.country,
    recorded = model_words(benefit.redemption), expected = model_words(expected) }
  return pp.say("mismatch", f), expected == "keyless" and pp.say("fix_keyless", f)
    or pp.say("fix_product_key", f)
end

---@type Rule
return {
  id = "cloud.redemption-model",
  severity = "error",
  source = { seed = "002_013589e162925edb.txt",
             section = "Will the current cloud benefits that I have also be modernized?" },
  params = { keyless_before_go_live_severity = "warning" },
  constrains = { "cloud_benefits.redemption" },

  check = function(state, ctx)
    for _, benefit in ipairs(state.cloud_benefits) do
      local expected, _, why = expected_model(state, benefit)
      -- A keyless benefit while no go-live date is recorded: the benefit shows that the
      -- modernized redemption is live, so the date is missing rather than the benefit wrong.
      local unjudged = benefit.redemption == "keyless" and state.partner.modernized_redemption_since == nil
      if benefit.redemption ~= expected and not unjudged then
        local message, remedy = mismatch(state, benefit, expected, why)
        ctx.report{ at = benefit, message = message, remedy = remedy,
          severity = expected == "product_key" and ctx.params.keyless_before_go_live_severity or nil }
      end
    end
  end,

  decide = {
    ["benefit.redeem"] = function(req, state, ctx)
      local benefit = req.benefit
      local expected, package, why = expected_model(state, benefit)
      if benefit.redemption == "keyless" and expected == "product_key" then
        -- Either the go-live date is missing or recorded too late, or the record is wrong: the
        -- check warns; Partner Center offers what applies, so the redemption is not refused.
        return nil
      end
      local facts = { redemption_model = expected, package_purchased_on = package.purchased_on,
        modernized_redemption_since = state.partner.modernized_redemption_since or "not live" }
      if benefit.redemption ~= expected then
        local message, remedy = mismatch(state, benefit, expected, why)
        return pp.deny(message, remedy, facts)
      end
      return pp.allow(pp.say("redeemed_as", { benefit = benefit.id, product = benefit.product,
        expected = model_words(expected), why = why }), facts)
    end,
  },
}
