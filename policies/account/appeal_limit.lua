-- The primary contact may have to file the appeal, so the rule does not judge the actor.

-- What to do instead of appealing, for a status that cannot be appealed.
local function not_appealable_step(status)
  return status == "authorized" and pp.say("already_authorized")
    or status == "challenged" and pp.say("answer_challenge") or pp.say("wait_for_result")
end

-- The words about the partner's appeals.
local function words(partner, ctx)
  local used = partner.appeals_used or 0
  return { partner = partner.name, used = used, max = ctx.params.max_appeals,
    left = math.max(ctx.params.max_appeals - used, 0) }
end

---@type Rule
return {
  id = "account.appeal-limit",
  severity = "error",
  source = { seed = "003_a7ef7a3de52215d6.txt", section = "Check verification result and appeal options" },
  params = {
    max_appeals = 3,
    appealable_statuses = { "rejected" },
    alert_appeals_left = 1,
  },
  constrains = { "partner.appeals_used" },

  check = function(state, ctx)
    local w = words(state.partner, ctx)
    if w.used > w.max then
      ctx.report{ at = state.partner, message = pp.say("too_many", w), remedy = pp.say("check_count") }
    end
  end,

  alerts = function(state, ctx)
    local partner = state.partner
    if not pp.contains(ctx.params.appealable_statuses, partner.vetting_status) then
      return
    end
    local w = words(partner, ctx)
    if w.left > ctx.params.alert_appeals_left then
      return
    end
    w.status, w.are = lib.vetting.name(partner.vetting_status), w.left == 1 and "is" or "are"
    ctx.alert{ at = partner, on = ctx.as_of, severity = "warning",
      message = w.left == 0 and pp.say("all_used", w) or pp.say("few_left", w),
      remedy = w.left == 0 and pp.say("contact_support") or pp.say("make_it_complete") }
  end,

  decide = {
    ["verification.appeal"] = function(req, state, ctx)
      local partner = state.partner
      if not pp.contains(ctx.params.appealable_statuses, partner.vetting_status) then
        return pp.deny(pp.say("nothing_to_appeal",
          { partner = partner.name, status = lib.vetting.name(partner.vetting_status) }),
          not_appealable_step(partner.vetting_status))
      end
      local w = words(partner, ctx)
      if w.used >= w.max then
        return pp.deny(pp.say("used_up", w), pp.say("no_further", { support = pp.say("contact_support") }))
      end
      w.left = w.max - w.used - 1
      return pp.allow(pp.say("can_appeal", w), { appeals_left = w.left, appeals_used = w.used + 1 })
    end,
  },
}
