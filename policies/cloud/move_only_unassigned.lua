-- policies/cloud/move_only_unassigned.lua
--
-- A cloud subscription can be moved to another tenant only while none of its licenses are
-- assigned; a subscription created by a keyless (modernized) benefit moves only to a tenant
-- associated with the benefit's MCA billing account (billing management enabled).

local billing = lib.billing
local tenant_label = lib.text.tenant

-- The licenses of `sub` assigned to users: assigned_licenses, or the recorded holders when the
-- state lists more of them than it counts (either one is enough to block a move).
local function assigned(sub)
  local held = sub.assigned_users ~= nil and #sub.assigned_users or 0
  return math.max(sub.assigned_licenses, held)
end

-- "alice@contoso.com, bob@contoso.com" from assigned_users, or nil when none are recorded.
local function holders(sub)
  if sub.assigned_users == nil or #sub.assigned_users == 0 then
    return nil
  end
  local labels = {}
  for _, user_id in ipairs(sub.assigned_users) do
    labels[#labels + 1] = pp.user_label(user_id)
  end
  return table.concat(labels, ", ")
end

---@type Rule
return {
  id = "cloud.move-only-unassigned",
  title = "A cloud subscription moves to another tenant only with no licenses assigned",
  severity = "error",
  source = { seed = "002_013589e162925edb.txt",
             section = "How do I redeem a cloud benefit in one tenant and use it in another tenant?" },
  description = "Moving a cloud subscription to another tenant is supported only when none of its licenses "
    .. "are assigned, and a subscription of a keyless (modernized) benefit can be used only on tenants "
    .. "associated with the benefit's MCA billing account (seed 002, 'How do I redeem a cloud benefit in one "
    .. "tenant and use it in another tenant?', Limitations). decide subscription.move: a subscription with "
    .. "assigned licenses (assigned_licenses, or users in assigned_users when it lists more) is denied whatever the target (the remedy names the users to unassign, or switching "
    .. "tenant context to assign licenses in the other tenant instead); for a modernized subscription a target "
    .. "tenant not associated with billing management with the billing account (the benefit's, else the "
    .. "purchase account) is denied; without a target tenant the answer names the associated tenants. "
    .. "Product-key subscriptions have no tenant restriction. No state check: a move is not recorded in the "
    .. "state (cloud.no-billing-account-transfer reports subscriptions found outside their billing account).",
  params = {},
  constrains = { "subscriptions.tenant" },
  no_say = {
    ["benefit.redeem"] = "a redemption creates its subscription on the tenant chosen for it (cloud.tenant-in-billing-account decides that tenant); nothing moves",
  },

  decide = {
    ["subscription.move"] = function(req, state, ctx)
      local sub = req.subscription
      local target = req.tenant

      local count = assigned(sub)
      if count > 0 then
        local who = holders(sub)
        local unassign
        if who ~= nil then
          unassign = ("unassign the %s of %s in the Microsoft 365 admin center first (held by %s), then move it"):format(
            lib.text.count(count, "license"), sub.id, who)
        else
          unassign = ("unassign the %s of %s in the Microsoft 365 admin center first, then move it"):format(
            lib.text.count(count, "license"), sub.id)
        end
        return pp.deny(
          ("subscription %s has %s assigned; a subscription moves to another tenant only when no licenses are assigned"):format(
            sub.id, lib.text.count(count, "license")),
          unassign .. "; or keep it where it is and switch tenant context in the Microsoft 365 admin center to assign "
            .. "its licenses to users of the associated tenant")
      end

      if sub.model ~= "modernized" then
        if target == nil then
          return pp.allow(("subscription %s has no licenses assigned, so it can be moved"):format(sub.id))
        end
        return pp.allow(("subscription %s has no licenses assigned, so it can be moved to tenant %s"):format(
          sub.id, tenant_label(target)))
      end

      local account = billing.subscription_account(state, sub)
      local account_text = billing.account_label(account,
        "the purchase MCA billing account (none is recorded)")

      if target == nil then
        local labels = {}
        for _, tenant in ipairs(state.tenants) do
          if billing.billing_managed(account, tenant.id) then
            labels[#labels + 1] = tenant_label(tenant)
          end
        end
        if #labels == 0 then
          return pp.deny(
            ("no tenant is associated with billing account %s, so modernized subscription %s cannot move to any tenant"):format(
              account_text, sub.id),
            ("a Billing account owner associates the target tenant with %s in the Azure portal (Cost Management + Billing > "
              .. "Access control (IAM) > Associated billing tenants > Add, Billing management enabled)"):format(account_text))
        end
        if #labels == #state.tenants then
          return pp.allow(
            ("subscription %s has no licenses assigned and every tenant is associated with billing account %s"):format(
              sub.id, account_text))
        end
        return pp.condition(
          ("the tenant must be associated with billing account %s with billing management enabled: %s"):format(
            account_text, table.concat(labels, "; ")))
      end

      if not billing.billing_managed(account, target.id) then
        return pp.deny(
          ("tenant %s is not associated with billing account %s, so modernized subscription %s cannot be moved there"):format(
            tenant_label(target), account_text, sub.id),
          ("a Billing account owner associates tenant %s with %s in the Azure portal (Cost Management + Billing > "
            .. "Access control (IAM) > Associated billing tenants, Billing management enabled), then %s can move"):format(
            tenant_label(target), account_text, sub.id))
      end
      return pp.allow(
        ("subscription %s has no licenses assigned and tenant %s is associated with billing account %s"):format(
          sub.id, tenant_label(target), account_text))
    end,
  },
}
