local money = lib.text.money -- "USD 4200" or "USD 12.50"; currency defaults to USD
local in_use = lib.credits.in_use -- Partner Center shows the credit as usable

-- "bulk credit MC-9 can be consumed from 2026-03-01 to 2027-02-28" (key "can", or "could"),
-- with whichever ends of the window are recorded.
local function consumed(key, credit)
  local start, last = credit.start, credit["end"]
  return pp.say(key, { credit = credit.id, window = start and last
    and pp.say("from_to", { start = start, last = last })
    or start and pp.say("from", { start = start }) or pp.say("to_end", { last = last }) })
end

local function renewal(state)
  return pp.say("renewal", { term_end = state.partner.membership["end"] })
end

-- Whether the rule has a say on the credit: a bulk credit with a start or an end date.
local function dated_bulk(credit)
  return credit.kind == "bulk" and (credit.start ~= nil or credit["end"] ~= nil)
end

local function ended(credit, ctx)
  return credit["end"] ~= nil and ctx.as_of > pp.date(credit["end"])
end

---@type Rule
return {
  id = "credits.bulk.window",
  severity = "error",
  source = { seed = "001_5c53631e905999a7.txt", section = "View your Azure credits in Partner Center" },
  params = {},
  constrains = { "credits.balance", "credits.status" },

  check = function(state, ctx)
    for _, credit in ipairs(state.credits) do
      if credit.kind == "bulk" and in_use(credit.status) and ended(credit, ctx) then
        ctx.report{
          at = credit,
          message = pp.say("still_recorded",
            { could = consumed("could", credit), status = credit.status }),
          remedy = pp.say("record_expired", { credit = credit.id, renewal = renewal(state) }),
        }
      end
    end
  end,

  alerts = function(state, ctx)
    for _, credit in ipairs(state.credits) do
      if credit.kind == "bulk" and credit["end"] ~= nil and credit.status ~= "expired"
         and (credit.balance or 0) > 0 then
        local last = pp.date(credit["end"])
        if last >= ctx.as_of and last <= ctx.horizon then
          ctx.alert{
            at = credit,
            on = last,
            severity = "warning", -- a lapse to come; the check reports it as an error once past
            message = pp.say("lost_after", { credit = credit.id, last = credit["end"],
              amount = money(credit.balance, credit.currency) }),
            remedy = pp.say("consume_by", { last = credit["end"], renewal = renewal(state),
              sub = credit.azure_subscription or "the credit's Azure subscription" }),
          }
        end
      end
    end
  end,

  decide = {
    ["credit.use"] = function(req, state, ctx)
      local credit = req.credit
      if not dated_bulk(credit) then
        return nil
      end
      if credit.start ~= nil and ctx.as_of < pp.date(credit.start) then
        local today = pp.date_string(ctx.as_of)
        return pp.deny(pp.say("before_start", { can = consumed("can", credit), today = today }),
          pp.say("wait", { start = credit.start, credit = credit.id }))
      end
      if ended(credit, ctx) then
        return pp.deny(pp.say("lost", { could = consumed("could", credit) }), renewal(state))
      end
      if credit["end"] == nil then
        return pp.allow(consumed("can", credit))
      end
      local days_left = pp.date(credit["end"]) - ctx.as_of + 1
      return pp.allow(pp.say("days_left", { can = consumed("can", credit), days = days_left }),
        { consumable_until = credit["end"], days_left = days_left })
    end,

    -- Activating starts the benefit, and a bulk credit past its end has nothing left to start:
    -- its year is over. Before the start, activating consumes nothing yet, so it is allowed.
    ["credit.activate"] = function(req, state, ctx)
      local credit = req.credit
      if not dated_bulk(credit) then
        return nil
      end
      if ended(credit, ctx) then
        return pp.deny(pp.say("starts_nothing", { could = consumed("could", credit) }),
          renewal(state))
      end
      if credit.start ~= nil and ctx.as_of < pp.date(credit.start) then
        return pp.allow(
          pp.say("activate_early", { can = consumed("can", credit), start = credit.start }),
          { consumable_from = credit.start })
      end
      return pp.allow(consumed("can", credit))
    end,
  },
}
