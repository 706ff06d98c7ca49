local function fields(benefit, more)
  more = more or {}
  more.label = pp.say("label", { id = benefit.id, product = benefit.product, licenses = benefit.licenses })
  more.id, more.product, more.day = benefit.id, benefit.product, benefit.activate_by
  return more
end

local function pending(benefit)
  return benefit.status == "available" and benefit.activate_by ~= nil
end

---@type Rule
return {
  id = "cloud.benefit-activate-by",
  severity = "warning",
  source = { seed = "002_013589e162925edb.txt", section = "View your cloud benefits" },
  params = {},
  constrains = { "cloud_benefits.status" },

  check = function(state, ctx)
    for _, benefit in ipairs(state.cloud_benefits) do
      if pending(benefit) and pp.date(benefit.activate_by) < ctx.as_of then
        ctx.report{ at = benefit, message = pp.say("passed", fields(benefit)),
          remedy = pp.say("record_expired", fields(benefit)) }
      end
    end
  end,

  alerts = function(state, ctx)
    for _, benefit in ipairs(state.cloud_benefits) do
      local deadline = pending(benefit) and pp.date(benefit.activate_by)
      if deadline and deadline >= ctx.as_of and deadline <= ctx.horizon then
        ctx.alert{ at = benefit, on = deadline, message = pp.say("must_activate", fields(benefit)),
          remedy = pp.say("redeem_by", fields(benefit)) }
      end
    end
  end,

  decide = {
    ["benefit.redeem"] = function(req, state, ctx)
      local benefit = req.benefit
      if not pending(benefit) then
        return nil
      end
      local left = pp.date(benefit.activate_by) - ctx.as_of
      if left < 0 then
        return pp.deny(pp.say("too_late", fields(benefit)), pp.say("no_longer", fields(benefit)))
      end
      local when = left == 0 and pp.say("last_day")
        or pp.say("days_left", { left = left, s = left == 1 and "" or "s" })
      return pp.allow(pp.say("activate_until", fields(benefit, { when = when })),
        { activate_by = benefit.activate_by, days_left = left })
    end,
  },
}
