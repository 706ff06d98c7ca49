-- policies/lib/pec.lua: what the partner-ID and partner earned credit (PEC) rules of seed 004
-- share. Policies read it as lib.pec (read-only).

local pec = {}

-- The Associated Partner ID shown on the partner profile, the one a link must use:
-- partner.associated_partner_id when the state records it, else partner.id.
function pec.associated_partner_id(state)
  return state.partner.associated_partner_id or state.partner.id
end

-- The entry of `link`'s onboarded subscriptions for `subscription`, or nil. Subscription ids are
-- compared case-insensitively (Azure subscription ids are GUIDs, written in either case).
function pec.onboarded(link, subscription)
  local wanted = pp.lower(subscription)
  for _, onboarded in ipairs(link.onboarded_subscriptions) do
    if pp.lower(onboarded.subscription) == wanted then
      return onboarded
    end
  end
  return nil
end

return pec
