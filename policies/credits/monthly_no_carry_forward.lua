local money = lib.text.money -- "USD 40" or "USD 12.50"; currency defaults to USD

local last_valid_day = lib.credits.last_valid_day -- as credits.monthly.validity counts it

-- Last day of the membership: no monthly amount comes after it (credits.monthly.membership-end).
local function membership_end(state)
  return pp.date(state.partner.membership["end"])
end

---@type Rule
return {
  id = "credits.monthly.no-carry-forward",
  severity = "warning",
  source = { seed = "001_5c53631e905999a7.txt", section = "View your Azure credits in Partner Center" },
  params = { validity_months = 13 },
  constrains = { "credits.balance" },
  informs = {
    ["credit.use"] = "using a credit never loses what lapses at month end; the answer only says how much is left and when it lapses",
  },

  alerts = function(state, ctx)
    local month_end, ends = pp.month_end(ctx.as_of), membership_end(state)
    if ends < ctx.as_of then
      return -- ended with the membership: credits.monthly.membership-end reports the credits
    end
    local day = pp.date_string(month_end)
    for _, credit in ipairs(state.credits) do
      local last = last_valid_day(credit, ctx.params.validity_months)
      if credit.kind == "monthly" and credit.status == "active" and (credit.balance or 0) > 0
         and (last == nil or last >= ctx.as_of) then
        local next_month = last and last <= month_end
            and pp.say("credit_last_month", { day = pp.date_string(last) })
          or ends <= month_end and pp.say("membership_last_month", { day = pp.date_string(ends) })
          or pp.say("fresh", { amount = money(credit.amount, credit.currency) })
        ctx.alert{
          at = credit,
          on = month_end,
          message = pp.say("no_carry", { lapses = pp.say("lapses", { is = "unconsumed",
            amount = money(credit.balance, credit.currency), credit = credit.id, day = day }) }),
          remedy = pp.say("consume", { next_month = next_month, day = day,
            sub = credit.azure_subscription or "the credit's Azure subscription" }),
        }
      end
    end
  end,

  decide = {
    ["credit.use"] = function(req, state, ctx)
      local credit = req.credit
      if credit.kind ~= "monthly" or (credit.balance or 0) <= 0 then
        return nil
      end
      local last = last_valid_day(credit, ctx.params.validity_months)
      if last ~= nil and last < ctx.as_of or membership_end(state) < ctx.as_of then
        -- the credit itself has lapsed (credits.monthly.validity answers) or the membership has
        -- ended (credits.monthly.membership-end answers)
        return nil
      end
      local day = pp.date_string(pp.month_end(ctx.as_of))
      return pp.allow(pp.say("lapses", { is = "left", credit = credit.id, day = day,
        amount = money(credit.balance, credit.currency) }),
        { balance = math.tointeger(credit.balance) or credit.balance, balance_lapses_on = day })
    end,
  },
}
