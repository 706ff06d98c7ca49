-- policies/cloud/redemption_model.lua
--
-- Which redemption a cloud benefit uses depends on when its offer was bought: offers bought on or
-- after the day the modernized experience went live for the partner's country/region
-- (partner.modernized_redemption_since) are redeemed keyless, through the $0 checkout; offers
-- bought before keep their 5x5 product keys. Without a go-live date the modernized experience has
-- not reached the country yet, so every offer keeps product keys.

-- What the rule expects of `benefit`: "keyless" or "product_key", the benefit's package, and a
-- sentence saying why, e.g. "its offer (package PKG-MW, Solutions Partner for Modern Work) was
-- bought on 2026-02-20, on or after 2025-09-01, when the modernized redemption went live in US".
local function expected_model(state, benefit)
  local partner = state.partner
  local package = pp.find(state.benefit_packages, benefit.package)
  local offer = ("its offer (package %s, %s) was bought on %s"):format(package.id, package.name, package.purchased_on)
  local since = partner.modernized_redemption_since
  if since == nil then
    return "product_key", package,
      ("%s and the modernized redemption has not gone live in %s yet"):format(offer, partner.country)
  end
  if pp.date(package.purchased_on) >= pp.date(since) then
    return "keyless", package,
      ("%s, on or after %s, when the modernized redemption went live in %s"):format(offer, since, partner.country)
  end
  return "product_key", package,
    ("%s, before the modernized redemption went live in %s on %s"):format(offer, partner.country, since)
end

-- A keyless benefit while no go-live date is recorded: the benefit shows that the modernized
-- redemption is live, so the date is missing rather than the benefit wrong; not judged.
local function unjudged(state, benefit)
  return benefit.redemption == "keyless" and state.partner.modernized_redemption_since == nil
end

local model_words = {
  keyless = "keyless, through the $0 checkout started from Partner Center",
  product_key = "with its 5x5 product keys",
}

-- What to do when the state and the expected model disagree.
local function mismatch_remedy(state, benefit, expected)
  if expected == "keyless" then
    return ("redeem %s with the Redeem action in Partner Center (Benefits > Cloud services), which completes a $0 "
      .. "checkout in the Microsoft 365 admin center, and record its redemption as keyless; if Partner Center "
      .. "still shows keys for it, correct partner.modernized_redemption_since (%s) instead"):format(
      benefit.id, state.partner.modernized_redemption_since)
  end
  return ("redeem %s with its product keys (Get Keys in Partner Center, then signup.microsoft.com/productkeystart) "
    .. "and record its redemption as product_key; if Partner Center shows a Redeem action ($0 checkout) for it, "
    .. "record the day the modernized redemption went live in %s as partner.modernized_redemption_since instead"):format(
    benefit.id, state.partner.country)
end

local function facts(state, benefit, expected, package)
  return {
    redemption_model = expected,
    package_purchased_on = package.purchased_on,
    modernized_redemption_since = state.partner.modernized_redemption_since or "not live",
  }
end

---@type Rule
return {
  id = "cloud.redemption-model",
  title = "Offers bought after the modernized go-live redeem keyless; older offers keep product keys",
  severity = "error",
  source = { seed = "002_013589e162925edb.txt",
             section = "Will the current cloud benefits that I have also be modernized?" },
  description = "Cloud benefits of offers bought on or after the day the modernized experience went live "
    .. "for the partner's country/region (partner.modernized_redemption_since) are redeemed keyless through "
    .. "the $0 checkout; benefits of offers bought before keep the product-key redemption (seed 002, 'Will "
    .. "the current cloud benefits that I have also be modernized?' and 'Which benefits are affected by the "
    .. "new redemption process?'). The offer's purchase date is the purchased_on of the benefit's package; "
    .. "a package bought on the go-live day counts as after it; no go-live date means not live yet, except that "
    .. "a keyless benefit while no date is recorded is taken as a missing date and not judged. check reports "
    .. "both directions: a product-key benefit of an offer bought after go-live (error: the document says "
    .. "every such benefit uses the new experience) and a keyless benefit of an offer bought before a recorded "
    .. "go-live (severity keyless_before_go_live_severity, warning by default: older offers are not affected, "
    .. "so most likely the go-live date is recorded too late). decide benefit.redeem: allowed, naming the "
    .. "model that applies (facts redemption_model, package_purchased_on, modernized_redemption_since), when "
    .. "the benefit's recorded redemption matches it; a product-key benefit of an offer bought after go-live "
    .. "is denied whatever the tenant and actor; no say on a keyless benefit of an older offer (the check "
    .. "warns; Partner Center offers what applies).",
  params = { keyless_before_go_live_severity = "warning" },
  constrains = { "cloud_benefits.redemption" },

  check = function(state, ctx)
    for _, benefit in ipairs(state.cloud_benefits) do
      local expected, _, why = expected_model(state, benefit)
      if benefit.redemption ~= expected and not unjudged(state, benefit) then
        ctx.report{
          at = benefit,
          severity = expected == "product_key" and ctx.params.keyless_before_go_live_severity or nil,
          message = ("cloud benefit %s (%s) is recorded for redemption %s, but %s, so it is redeemed %s"):format(
            benefit.id, benefit.product, model_words[benefit.redemption], why, model_words[expected]),
          remedy = mismatch_remedy(state, benefit, expected),
        }
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
      if benefit.redemption ~= expected then
        return pp.deny(
          ("cloud benefit %s (%s) is recorded for redemption %s, but %s, so it is redeemed %s"):format(
            benefit.id, benefit.product, model_words[benefit.redemption], why, model_words[expected]),
          mismatch_remedy(state, benefit, expected),
          facts(state, benefit, expected, package))
      end
      return pp.allow(
        ("cloud benefit %s (%s) is redeemed %s: %s"):format(benefit.id, benefit.product, model_words[expected], why),
        facts(state, benefit, expected, package))
    end,
  },
}
