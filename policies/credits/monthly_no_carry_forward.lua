-- policies/credits/monthly_no_carry_forward.lua
--
-- What a monthly Azure credit leaves unconsumed in a month lapses at the end of that month and
-- does not carry forward to the next one. The state records this month's balance, so the alert
-- says how much lapses on the last day of the current month.

local money = lib.text.money -- "USD 40" or "USD 12.50"; currency defaults to USD

-- The first day a monthly credit is no longer valid (activation + validity_months, as in
-- credits.monthly.validity), or nil when it was never activated.
local function gone_on(credit, validity_months)
  if credit.activated_on == nil then
    return nil
  end
  return pp.add_months(pp.date(credit.activated_on), validity_months)
end

-- Last day of the membership: no monthly amount comes after it (credits.monthly.membership-end).
local function membership_end(state)
  return pp.date(state.partner.membership["end"])
end

---@type Rule
return {
  id = "credits.monthly.no-carry-forward",
  title = "Unconsumed monthly Azure credit lapses at month end",
  severity = "warning",
  source = { seed = "001_5c53631e905999a7.txt", section = "View your Azure credits in Partner Center" },
  description = "A monthly Azure credit gives its amount each month; what is not consumed by the end of the "
    .. "month lapses and does not carry forward to the next month (seed 001, 'View your Azure credits in Partner "
    .. "Center'). The credit's balance is this month's unconsumed amount. alerts: an active monthly credit with "
    .. "a balance above 0 is announced on the last day of the current month (pp.month_end of today), with the "
    .. "amount and currency that lapse. There is nothing in the state to breach, so there is no check. decide "
    .. "credit.use on a monthly credit with a balance above 0 is allowed with the facts balance and "
    .. "balance_lapses_on; otherwise the rule has no say. A credit past its validity (activated_on + "
    .. "validity_months, as credits.monthly.validity counts it) gets neither: it has lapsed as a whole; nor does "
    .. "any credit after the membership's end (credits.monthly.membership-end). In the membership's last month the "
    .. "alert says that next month brings nothing unless the membership is renewed.",
  params = { validity_months = 13 },
  constrains = { "credits.balance" },
  informs = {
    ["credit.use"] = "using a credit never loses what lapses at month end; the answer only says how much is left and when it lapses",
  },

  alerts = function(state, ctx)
    local month_end = pp.month_end(ctx.as_of)
    local ends = membership_end(state)
    if ends < ctx.as_of then
      return -- the monthly credits ended with the membership: credits.monthly.membership-end reports them
    end
    for _, credit in ipairs(state.credits) do
      local gone = gone_on(credit, ctx.params.validity_months)
      if credit.kind == "monthly" and credit.status == "active" and credit.balance ~= nil and credit.balance > 0
         and (gone == nil or gone > ctx.as_of) then
        local next_month = ("next month brings a fresh %s"):format(money(credit.amount, credit.currency))
        if gone ~= nil and gone <= month_end + 1 then
          next_month = ("this is its last month: the credit itself ends after %s"):format(pp.date_string(gone - 1))
        elseif ends <= month_end then
          next_month = ("this is the membership's last month: next month brings nothing unless the membership is "
            .. "renewed by %s"):format(pp.date_string(ends))
        end
        ctx.alert{
          at = credit,
          on = month_end,
          message = ("%s of monthly credit %s is unconsumed this month and lapses after %s, the last day of the month; "
            .. "it does not carry forward to next month"):format(money(credit.balance, credit.currency), credit.id,
            pp.date_string(month_end)),
          remedy = ("consume it on %s by %s if it is needed; %s"):format(
            credit.azure_subscription or "the credit's Azure subscription", pp.date_string(month_end),
            next_month),
        }
      end
    end
  end,

  decide = {
    ["credit.use"] = function(req, state, ctx)
      local credit = req.credit
      if credit.kind ~= "monthly" or credit.balance == nil or credit.balance <= 0 then
        return nil
      end
      local gone = gone_on(credit, ctx.params.validity_months)
      if gone ~= nil and gone <= ctx.as_of then
        return nil -- the credit itself has lapsed: credits.monthly.validity answers
      end
      if membership_end(state) < ctx.as_of then
        return nil -- the membership has ended: credits.monthly.membership-end answers
      end
      local month_end = pp.date_string(pp.month_end(ctx.as_of))
      return pp.allow(
        ("%s of monthly credit %s is left this month and lapses after %s, the last day of the month"):format(
          money(credit.balance, credit.currency), credit.id, month_end),
        { balance = math.tointeger(credit.balance) or credit.balance, balance_lapses_on = month_end })
    end,
  },
}
