local billing = lib.billing
local tenant_label = lib.text.tenant

-- The licenses of `sub` assigned to users: assigned_licenses, or the recorded holders when the
-- state lists more of them than it counts (either one is enough to block a move).
local function assigned(sub)
  local held = sub.assigned_users ~= nil and #sub.assigned_users or 0
  return math.max(sub.assigned_licenses, held)
end

-- " (held by alice@contoso.com, bob@contoso.com)" from assigned_users, or "" when none are recorded.
local function holders(sub)
  local labels = {}
  for _, user_id in ipairs(sub.assigned_users or {}) do
    labels[#labels + 1] = pp.user_label(user_id)
  end
  return #labels > 0 and pp.say("held_by", { who = table.concat(labels, ", ") }) or ""
end

---@type Rule
return {
  id = "cloud.move-only-unassigned",
  severity = "error",
  source = { seed = "002_013589e162925edb.txt",
             section = "How do I redeem a cloud benefit in one tenant and use it in another tenant?" },
  params = {},
  constrains = { "subscriptions.tenant" },
  no_say = {
    ["benefit.redeem"] = "a redemption creates its subscription on the tenant chosen for it (cloud.tenant-in-billing-account decides that tenant); nothing moves",
  },

  decide = {
    ["subscription.move"] = function(req, state, ctx)
      local sub, target = req.subscription, req.tenant
      local f = { sub = sub.id }
      local count = assigned(sub)
      if count > 0 then
        f.licenses, f.held = lib.text.count(count, "license"), holders(sub)
        return pp.deny(pp.say("assigned", f), pp.say("unassign", f))
      end
      if sub.model ~= "modernized" then
        f.tenant = target and tenant_label(target)
        return pp.allow(target and pp.say("movable_to", f) or pp.say("movable", f))
      end

      local account = billing.subscription_account(state, sub)
      f.account = billing.account_label(account, pp.say("no_account"))
      if target == nil then
        local labels = {}
        for _, tenant in ipairs(state.tenants) do
          if billing.billing_managed(account, tenant.id) then
            labels[#labels + 1] = tenant_label(tenant)
          end
        end
        if #labels == 0 then
          return pp.deny(pp.say("no_tenant", f), pp.say("associate_any", f))
        elseif #labels == #state.tenants then
          return pp.allow(pp.say("every_tenant", f))
        end
        return pp.condition(pp.say("must_be_associated", { account = f.account,
          tenants = table.concat(labels, "; ") }))
      end
      local managed = billing.billing_managed(account, target.id)
      f.tenant = tenant_label(target)
      if not managed then
        return pp.deny(pp.say("not_associated", f), pp.say("associate", f))
      end
      return pp.allow(pp.say("associated", f))
    end,
  },
}
