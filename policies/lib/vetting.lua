-- policies/lib/vetting.lua: the partner's verification (vetting) status in the words of the
-- documents (Account settings > Legal Info). Policies read it as lib.vetting (read-only).

local NAMES = {
  authorized = "Authorized",
  pending = "Pending",
  in_progress = "In progress",
  rejected = "Rejected",
  challenged = "Challenged",
}

local vetting = {}

-- "In progress" for "in_progress"; an unknown status is shown as written (tostring).
function vetting.name(status)
  return NAMES[status] or tostring(status)
end

return vetting
