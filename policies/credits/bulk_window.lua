-- policies/credits/bulk_window.lua
--
-- An Azure bulk (yearly) credit is consumed between its start and end dates (both included);
-- whatever is left after the end date is lost. The next benefit year brings a new bulk credit,
-- awarded after the membership is renewed.

local money = lib.text.money -- "USD 4200" or "USD 12.50"; currency defaults to USD
local in_use = lib.credits.in_use -- Partner Center shows the credit as usable

-- "from 2026-03-01 to 2027-02-28", with whichever ends are recorded.
local function window_words(credit)
  if credit.start ~= nil and credit["end"] ~= nil then
    return ("from %s to %s"):format(credit.start, credit["end"])
  elseif credit.start ~= nil then
    return ("from %s"):format(credit.start)
  end
  return ("until %s"):format(credit["end"])
end

local function renewal_words(state)
  return ("renew the membership (the current term ends on %s) and use the bulk credit awarded for the next benefit "
    .. "year"):format(state.partner.membership["end"])
end

---@type Rule
return {
  id = "credits.bulk.window",
  title = "A bulk Azure credit is consumed only between its start and end dates",
  severity = "error",
  source = { seed = "001_5c53631e905999a7.txt", section = "View your Azure credits in Partner Center" },
  description = "An Azure bulk (yearly) credit can be consumed any time between its start and end dates, both "
    .. "included, and not outside them (seed 001, 'View your Azure credits in Partner Center'). decide "
    .. "credit.use on a bulk credit: before start or after end it is denied with the dates (after the end: renew "
    .. "and use the next benefit year's bulk credit); inside the window it is allowed with the facts "
    .. "consumable_until and days_left (the end day counts). decide credit.activate on a bulk credit: denied after "
    .. "its end (remedy: renew and activate the next benefit year's bulk credit); allowed before its start (fact "
    .. "consumable_from: activating consumes nothing) and inside the window. check reports a bulk credit past its end whose status "
    .. "is still active or redeemed. alerts: a bulk credit that is not expired, with a balance above 0, is "
    .. "announced, as a warning, on its end date (the last day the balance can be used); a credit without a recorded balance is "
    .. "not announced. Missing start or end dates leave that side unchecked.",
  params = {},
  constrains = { "credits.balance", "credits.status" },

  check = function(state, ctx)
    for _, credit in ipairs(state.credits) do
      if credit.kind == "bulk" and credit["end"] ~= nil and in_use(credit.status)
         and ctx.as_of > pp.date(credit["end"]) then
        ctx.report{
          at = credit,
          message = ("bulk credit %s could be consumed %s, but it is still recorded as %s"):format(
            credit.id, window_words(credit), credit.status),
          remedy = ("record credit %s as expired (nothing can be consumed on it any more); %s"):format(
            credit.id, renewal_words(state)),
        }
      end
    end
  end,

  alerts = function(state, ctx)
    for _, credit in ipairs(state.credits) do
      if credit.kind == "bulk" and credit["end"] ~= nil and credit.status ~= "expired"
         and credit.balance ~= nil and credit.balance > 0 then
        local last = pp.date(credit["end"])
        if last >= ctx.as_of and last <= ctx.horizon then
          ctx.alert{
            at = credit,
            on = last,
            severity = "warning", -- a lapse to come; the check reports it as an error once past
            message = ("bulk credit %s can be consumed until %s; its unconsumed %s is lost after that"):format(
              credit.id, credit["end"], money(credit.balance, credit.currency)),
            remedy = ("consume the balance on %s by %s if it is needed: it does not move to the next benefit year; "
              .. "%s"):format(credit.azure_subscription or "the credit's Azure subscription", credit["end"],
              renewal_words(state)),
          }
        end
      end
    end
  end,

  decide = {
    ["credit.use"] = function(req, state, ctx)
      local credit = req.credit
      if credit.kind ~= "bulk" or (credit.start == nil and credit["end"] == nil) then
        return nil
      end
      if credit.start ~= nil and ctx.as_of < pp.date(credit.start) then
        return pp.deny(
          ("bulk credit %s can be consumed %s, and %s is before its start"):format(
            credit.id, window_words(credit), pp.date_string(ctx.as_of)),
          ("wait until %s, the first day credit %s can be consumed"):format(credit.start, credit.id))
      end
      if credit["end"] ~= nil and ctx.as_of > pp.date(credit["end"]) then
        return pp.deny(
          ("bulk credit %s could be consumed %s; its benefit year has ended and what was left of it is lost"):format(
            credit.id, window_words(credit)),
          renewal_words(state))
      end
      if credit["end"] == nil then
        return pp.allow(("bulk credit %s can be consumed %s"):format(credit.id, window_words(credit)))
      end
      local last = pp.date(credit["end"])
      return pp.allow(
        ("bulk credit %s can be consumed %s; %d days left including today"):format(
          credit.id, window_words(credit), last - ctx.as_of + 1),
        { consumable_until = credit["end"], days_left = last - ctx.as_of + 1 })
    end,

    -- Activating starts the benefit, and a bulk credit past its end has nothing left to start:
    -- its year is over. Before the start, activating consumes nothing yet, so it is allowed.
    ["credit.activate"] = function(req, state, ctx)
      local credit = req.credit
      if credit.kind ~= "bulk" or (credit.start == nil and credit["end"] == nil) then
        return nil
      end
      if credit["end"] ~= nil and ctx.as_of > pp.date(credit["end"]) then
        return pp.deny(
          ("bulk credit %s could be consumed %s; its benefit year has ended, so activating it starts nothing"):format(
            credit.id, window_words(credit)),
          renewal_words(state))
      end
      if credit.start ~= nil and ctx.as_of < pp.date(credit.start) then
        return pp.allow(
          ("bulk credit %s can be consumed %s; activating it before then consumes nothing until %s"):format(
            credit.id, window_words(credit), credit.start),
          { consumable_from = credit.start })
      end
      return pp.allow(("bulk credit %s can be consumed %s"):format(credit.id, window_words(credit)))
    end,
  },
}
