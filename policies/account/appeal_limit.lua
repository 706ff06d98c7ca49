-- policies/account/appeal_limit.lua
--
-- A rejected verification can be appealed up to max_appeals (3) times: Resolve in the partner
-- call-to-action bar, choose a document type, upload supporting documents, submit. The
-- primary contact may have to do it, so the rule does not judge the actor.

local vetting_name = lib.vetting.name

-- What to do instead of appealing, for a status that cannot be appealed.
local function not_appealable_step(status)
  if status == "authorized" then
    return "nothing: verification is already Authorized"
  end
  if status == "challenged" then
    return "answer the challenge with the documents the Account Verification pane asks for "
      .. "(Account settings > Legal Info); an appeal is possible only after a rejection"
  end
  return "wait for the verification result (Account settings > Legal Info > Verification summary); "
    .. "an appeal is possible only after a rejection"
end

local HOW = "select Resolve in the partner call-to-action bar, choose a document type, upload supporting "
  .. "documentation and submit (the primary contact may need to do this)"

---@type Rule
return {
  id = "account.appeal-limit",
  title = "A rejected verification can be appealed at most three times",
  severity = "error",
  source = { seed = "003_a7ef7a3de52215d6.txt", section = "Check verification result and appeal options" },
  description = "A rejected verification allows up to max_appeals (3) appeals (seed 003, 'Check verification "
    .. "result and appeal options'); partner.appeals_used counts those filed. decide verification.appeal: "
    .. "denied when verification is not in appealable_statuses (rejected), as there is nothing to appeal, and "
    .. "when all appeals are used (remedy: Partner Center support); otherwise allowed with the appeals left "
    .. "after this one (facts appeals_left, appeals_used), for any actor. check: more appeals recorded than "
    .. "allowed. alerts: a rejected verification with alert_appeals_left (1) or fewer appeals left, dated "
    .. "today.",
  params = {
    max_appeals = 3,
    appealable_statuses = { "rejected" },
    alert_appeals_left = 1,
  },
  constrains = { "partner.appeals_used" },

  check = function(state, ctx)
    local partner = state.partner
    local used = partner.appeals_used or 0
    if used > ctx.params.max_appeals then
      ctx.report{
        at = partner,
        message = ("%s records %d verification appeals; at most %d are allowed"):format(
          partner.name, used, ctx.params.max_appeals),
        remedy = ("check partner.appeals_used against the Verification summary; no further appeal is possible, "
          .. "so contact Partner Center support about the verification"),
      }
    end
  end,

  alerts = function(state, ctx)
    local partner = state.partner
    if not pp.contains(ctx.params.appealable_statuses, partner.vetting_status) then
      return
    end
    local used = partner.appeals_used or 0
    local left = ctx.params.max_appeals - used
    if left < 0 then
      left = 0
    end
    if left > ctx.params.alert_appeals_left then
      return
    end
    if left == 0 then
      ctx.alert{
        at = partner,
        on = ctx.as_of,
        severity = "warning",
        message = ("verification of %s is %s and all %d appeals are used"):format(
          partner.name, vetting_name(partner.vetting_status), ctx.params.max_appeals),
        remedy = "contact Partner Center support to review the verification",
      }
      return
    end
    ctx.alert{
      at = partner,
      on = ctx.as_of,
      severity = "warning",
      message = ("verification of %s is %s and only %d of %d appeals %s left"):format(
        partner.name, vetting_name(partner.vetting_status), left, ctx.params.max_appeals,
        left == 1 and "is" or "are"),
      remedy = "make the next appeal complete: read the reason in the Account Verification pane and upload "
        .. "documents that answer it before you submit",
    }
  end,

  decide = {
    ["verification.appeal"] = function(req, state, ctx)
      local partner = state.partner
      local max = ctx.params.max_appeals
      if not pp.contains(ctx.params.appealable_statuses, partner.vetting_status) then
        return pp.deny(
          ("verification of %s is %s, not rejected, so there is nothing to appeal"):format(
            partner.name, vetting_name(partner.vetting_status)),
          not_appealable_step(partner.vetting_status))
      end
      local used = partner.appeals_used or 0
      if used >= max then
        return pp.deny(
          ("%s has used %d of %d appeals against the rejected verification"):format(partner.name, used, max),
          "no further appeal is possible: contact Partner Center support to review the verification")
      end
      local left = max - used - 1
      return pp.allow(
        ("%s can appeal the rejected verification (%d of %d appeals left after this one): %s"):format(
          partner.name, left, max, HOW),
        { appeals_left = left, appeals_used = used + 1 })
    end,
  },
}
