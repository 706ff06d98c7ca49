---@meta
-- What a policy file returns and what it is handed (docs/policy-api.md), for editors with
-- lua-language-server: the rule table, ctx, decide's req, decisions, the `pp` host library
-- (evaluator/lua/policy_library.cc) and the helper libraries under `lib` (policies/lib/*.lua).
-- The partner state's classes (PartnerState, Credit, User, ...) are in partner_state.lua,
-- generated from the schema.
--
-- Hand-written. tests/editor_support_test.cc checks it against the real sandbox: every pp.*
-- and lib.*.* function the sandbox has is declared here and nothing else, and Request has a
-- field for each parameter of policies/actions.toml. Not loaded by partnerpolicy.
--
-- A policy gets completion in its check, alerts and decide functions when its table is typed:
--   ---@type Rule
--   return { id = "...", check = function(state, ctx) ... end }

---A day number: whole days since 1970-01-01 (pp.date("2026-11-23")), so `a < b` and `b - a`
---work directly.
---@alias DayNumber integer

---@alias Severity "error"|"warning"|"info"

---A parameter value: a flag, a count, an amount, a word or a list of words.
---@alias ParamValue boolean|integer|number|string|string[]

---Where in the seed documents the rule comes from.
---@class RuleSource
---@field seed string File name under shared/seeds, e.g. "001_5c53631e905999a7.txt".
---@field section string A section heading of that document (listed in policies/sources.toml).

---What a policy file returns: one rule. Needs id, title, severity, source, description, constrains and at
---least one of check, alerts and decide; any other field is an error. Title and description
---usually live in the file's message catalog (x.messages.toml), not here.
---@class Rule
---@field id string Stable dotted lower-case id, e.g. "credits.monthly.reassignment-cap".
---@field title? string One line saying what the rule requires (or `title` in the catalog).
---@field severity Severity The default severity of its findings (policies.toml may change it).
---@field source RuleSource The document and section the rule comes from.
---@field description? string What the rule checks and decides, in a few sentences (or in the catalog).
---@field params? table<string, ParamValue> Parameters and their defaults; policies.toml may override them.
---@field constrains string[] The parts of the partner state whose values or changes the rule limits: "credits.assignments", "partner.membership", or a whole collection ("users"); lint requires it.
---@field no_say? table<string, string> For an action that touches what the rule constrains but that the rule does not decide: why the rule has no say on it, in one line.
---@field informs? table<string, string> For an action the rule decides only to inform (allow with facts, or no say), never denying it: why, in one line. A denial of it is a policy error.
---@field check? fun(state: PartnerState, ctx: CheckContext) Reports each breach in the state with ctx.report.
---@field alerts? fun(state: PartnerState, ctx: AlertsContext) Reports what lapses or runs out, dated, with ctx.alert.
---@field decide? table<string, fun(req: Request, state: PartnerState, ctx: Context): Decision?> One function per action the rule governs; nil when it has no say.

---What an effects file (policies/effects/*.lua) returns: the effect of each action, its state
---change as JSON Patch operations ({} when it changes nothing recorded). Type the table with
---`---@type Effects`.
---@alias Effects table<string, fun(req: Request, state: PartnerState, ctx: EffectContext): PatchOperation[]>

---ctx of an effect.
---@class EffectContext
---@field as_of DayNumber The evaluation date.

---One operation of an effect's change (RFC 6902).
---@class PatchOperation
---@field op "add"|"replace"|"remove"
---@field path string A JSON pointer into the state: pp.pointer(node) .. "/field", "/-" to append.
---@field value? any The new value (not for remove): strings, numbers, booleans, tables, state nodes.

---What every call gets besides the state.
---@class Context
---@field params table<string, any> The rule's parameters after policies.toml.
---@field as_of DayNumber The evaluation date.

---ctx of check.
---@class CheckContext: Context
---@field report fun(finding: FindingReport) Records a breach.

---ctx of alerts.
---@class AlertsContext: Context
---@field horizon DayNumber The last day of interest (alerts after it are dropped).
---@field alert fun(alert: AlertReport) Records an alert.

---The argument of ctx.report.
---@class FindingReport
---@field at table The entity the finding is about: a node of the partner state (a credit, a user ...).
---@field message string What is wrong.
---@field remedy? string What would fix it.
---@field severity? Severity Default: the rule's severity.

---The argument of ctx.alert.
---@class AlertReport: FindingReport
---@field on DayNumber The day it happens.

---What pp.allow, pp.deny and pp.condition return, and decide functions return.
---@class Decision
---@field verdict "allow"|"deny"|"condition"
---@field message string
---@field remedy? string What would allow the action (deny only).
---@field facts? table<string, string|number|boolean> Extra answers shown to the user.

---A user named by an e-mail address that is not in the state (`new_email = true` parameters).
---@class NewUser
---@field is_new true
---@field email string

---An entity the action would create, given as the word "new" (`new = true` parameters).
---@class NewEntity
---@field is_new true

---decide's request: the action and its parameters (policies/actions.toml, `-` in names becomes
---`_`). A parameter the request leaves open is nil, and the answer must hold for every value.
---@class Request
---@field action string The action, e.g. "credit.reassign".
---@field actor User? The user acting (--as), when given.
---@field azure_subscription (AzureSubscription|NewEntity)? credit.use: the Azure subscription; credits.consolidate: the subscription the credits would share.
---@field benefit CloudBenefit? benefit.redeem, benefit.transfer: the cloud benefit.
---@field billing_account BillingAccount? benefit.transfer: the billing account it would move to.
---@field credit Credit? credit.*: the credit.
---@field credits Credit[]? credits.consolidate: the credits to put on one subscription.
---@field key string? subscription.extend, subscription.add-licenses, subscription.reactivate: the product key to redeem.
---@field key_licenses integer? subscription.extend, subscription.reactivate: the licenses of the product key.
---@field licenses integer? subscription.add-licenses: the licenses to add.
---@field link PartnerIdLink? partner-id.link, pec.earn: the partner-ID link.
---@field role string? user.modify-roles: the role to add or change.
---@field subscription (Subscription|string)? subscription.*, license.assign: the subscription; pec.earn: the customer subscription's name.
---@field tenant Tenant? benefit.redeem, subscription.move: the tenant.
---@field user (User|NewUser)? credit.assign, credit.reassign, license.assign, user.modify-roles: the user.

---The host library.
pp = {}

---An allow decision.
---@param message string Why it is allowed, e.g. "2 of 5 reassignments left after this one".
---@param facts? table<string, string|number|boolean> Extra answers, e.g. { reassignments_left = 2 }.
---@return Decision
function pp.allow(message, facts) end

---A deny decision.
---@param message string Why it is denied.
---@param remedy string The smallest change that would allow the action.
---@param facts? table<string, string|number|boolean>
---@return Decision
function pp.deny(message, remedy, facts) end

---Allowed provided what the request left open meets `message`, written as a condition ("the user
---must not have a free e-mail address").
---@param message string
---@param facts? table<string, string|number|boolean>
---@return Decision
function pp.condition(message, facts) end

---The message `key` of the calling file's catalog (x.messages.toml beside x.lua), each {field}
---filled from `fields`: strings as they are, whole numbers in decimal, other numbers as Lua prints
---them. An error when the catalog lacks the message or `fields` lacks one it names.
---@param key string e.g. "over_cap"
---@param fields? table<string, string|number> e.g. { credit = credit.id, used = 6, cap = 5 }
---@return string
function pp.say(key, fields) end

---The day number of a "YYYY-MM-DD" date; an error when it is malformed.
---@param text string
---@return DayNumber
function pp.date(text) end

---The "YYYY-MM-DD" text of a day number.
---@param day DayNumber
---@return string
function pp.date_string(day) end

---The day `months` calendar months after `day`, clamped to the month's last day (Jan 31 + 1
---month = Feb 28/29).
---@param day DayNumber
---@param months integer
---@return DayNumber
function pp.add_months(day, months) end

---The day `days` business days (Monday to Friday) after `day`.
---@param day DayNumber
---@param days integer
---@return DayNumber
function pp.add_business_days(day, days) end

---The business days after `from` up to and including `to`.
---@param from DayNumber
---@param to DayNumber
---@return integer
function pp.business_days_between(from, to) end

---The last day of `day`'s month.
---@param day DayNumber
---@return DayNumber
function pp.month_end(day) end

---The lower-cased domain after the last "@"; an error when the address is malformed.
---@param email string
---@return string
function pp.email_domain(email) end

---ASCII lower case.
---@param text string
---@return string
function pp.lower(text) end

---The element of a list of the partner state whose id is `id`, or nil (constant time).
---@generic T
---@param list T[]
---@param id string
---@return T?
function pp.find(list, id) end

---The elements of a list of the partner state whose field `field` is the string `value` or a
---list holding it, as a fresh list in document order (indexed by the host: the cost is the
---answer's length, whatever the list's), e.g. pp.find_all(state.credits, "azure_subscription",
---sub.id) or pp.find_all(state.users, "partner_center_roles", "partner_admin"). With a list of
---values, each element holding any of them comes once.
---@generic T
---@param list T[]
---@param field string
---@param value string|string[]
---@return T[]
function pp.find_all(list, field, value) end

---Whether a list of the partner state (or a table of the policy's own) holds `value`.
---@param list any[]
---@param value any
---@return boolean
function pp.contains(list, value) end

---The JSON pointer of a node of the partner state, e.g. "/credits/2".
---@param node table
---@return string
function pp.pointer(node) end

---How many times the credit changed user: "assigned" events whose user differs from the
---previous "assigned" event's.
---@param credit Credit
---@return integer
function pp.reassignments(credit) end

---The id of the user the credit is assigned to now, or nil.
---@param credit Credit
---@return string?
function pp.assigned_user(credit) end

---The id of the user of the credit's last "assigned" event, even if later removed, or nil.
---@param credit Credit
---@return string?
function pp.last_assigned_user(credit) end

---How messages name a user: the e-mail of the user with this id, else the id itself.
---@param user_id string
---@return string
function pp.user_label(user_id) end

---The helper libraries of policies/lib/, read-only: lib.<file name>.
---@class lib
---@field azure_roles lib.azure_roles
---@field billing lib.billing
---@field credits lib.credits
---@field end_dates lib.end_dates
---@field free_mail_domains lib.free_mail_domains
---@field new_ids lib.new_ids
---@field pec lib.pec
---@field roles lib.roles
---@field subscriptions lib.subscriptions
---@field text lib.text
---@field vetting lib.vetting
lib = {}

---policies/lib/azure_roles.lua: the Azure built-in roles by role definition ID, with Microsoft's
---PEC eligibility and whether each has DataActions (generated by tools/build_azure_roles.py).
---@class lib.azure_roles
lib.azure_roles = {}

---The role definition ID of Owner (eligible for PEC; Azure Lighthouse cannot delegate it).
---@type string
lib.azure_roles.OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"

---How many built-in roles the table holds.
---@type integer
lib.azure_roles.count = 0

---A built-in role of the table, as lib.azure_roles.find returns it (a fresh table each call).
---@class AzureRole
---@field id string Role definition ID (a lower-case GUID).
---@field name string Current role name.
---@field pec_listed boolean Microsoft's list of PEC roles names it.
---@field pec_eligible boolean That list marks it eligible (Yes).
---@field data_actions boolean It has DataActions (Azure Lighthouse cannot delegate it).
---@field pec_page_name string? The name the PEC list uses, when it is not the current one.

---The built-in role named by `role`: a name (any case, current or as the PEC list writes it), a
---role definition ID, or a role definition path (/providers/Microsoft.Authorization/
---roleDefinitions/<GUID>, possibly under a scope); nil for anything else (custom roles too).
---@param role string
---@return AzureRole?
function lib.azure_roles.find(role) end

---"Contributor (b24988ac-6180-42a0-ab88-20f7382dd24c)".
---@param role AzureRole
---@return string
function lib.azure_roles.label(role) end

---policies/lib/billing.lua: which MCA billing account a benefit belongs to, and how to name it.
---@class lib.billing
lib.billing = {}

---The partner's purchase billing account (the first marked purchase_account), or nil.
---@param state PartnerState
---@return BillingAccount?
function lib.billing.purchase_account(state) end

---The billing account a keyless benefit is bound to (its own billing_account, else the
---purchase billing account), and its id; nil, nil when there is none.
---@param state PartnerState
---@param benefit CloudBenefit
---@return BillingAccount?
---@return string?
function lib.billing.benefit_account(state, benefit) end

---"BA-1 (Contoso Ltd)", or `none` when the account is nil.
---@param account BillingAccount?
---@param none? string
---@return string?
function lib.billing.account_label(account, none) end

---The account's association with the tenant, or nil when it is not associated.
---@param account BillingAccount?
---@param tenant_id string
---@return AssociatedTenant?
function lib.billing.association(account, tenant_id) end

---Whether the tenant is associated with the account with billing management enabled.
---@param account BillingAccount?
---@param tenant_id string
---@return boolean
function lib.billing.billing_managed(account, tenant_id) end

---The billing account a modernized subscription belongs to (its benefit's, else the purchase
---billing account), and its id; nil, nil when there is none.
---@param state PartnerState
---@param sub Subscription
---@return BillingAccount?
---@return string?
function lib.billing.subscription_account(state, sub) end

---policies/lib/credits.lua: Azure credit statuses and validity shared by the credit rules.
---@class lib.credits
lib.credits = {}

---Whether Partner Center shows a credit with this status as usable (Redeemed or Active).
---@param status CreditStatus
---@return boolean
function lib.credits.in_use(status) end

---The last day a monthly credit valid for `months` months is valid (the day before the
---anniversary of its activation), or nil when it was never activated.
---@param credit Credit
---@param months integer
---@return integer?
function lib.credits.last_valid_day(credit, months) end

---The credits on an Azure subscription: the one its credit field names, then those whose
---azure_subscription names it (document order; looked up, not searched).
---@param state PartnerState
---@param sub AzureSubscription
---@return Credit[]
function lib.credits.on_subscription(state, sub) end

---The Azure subscriptions linked to a credit: the one its azure_subscription names, then those
---whose credit field names it (document order; looked up, not searched).
---@param state PartnerState
---@param credit Credit
---@return AzureSubscription[]
function lib.credits.subscriptions_of(state, credit) end

---policies/lib/free_mail_domains.lua: consumer free-mail domains, generated from the npm package
---freemail's free list by tools/free_mail_domains.py (do not edit).
---@class lib.free_mail_domains
lib.free_mail_domains = {}

---The npm package the list comes from ("freemail").
---@type string
lib.free_mail_domains.package = ""

---Its version ("1.7.0").
---@type string
lib.free_mail_domains.version = ""

---Its licence ("ISC").
---@type string
lib.free_mail_domains.licence = ""

---How many domains the list holds.
---@type integer
lib.free_mail_domains.count = 0

---The domains (lower case) by first character: "\n" .. one domain a line .. "\n", so
---by_first[c]:find("\n" .. domain .. "\n", 1, true) finds a whole entry.
---@type table<string, string>
lib.free_mail_domains.by_first = {}

---policies/lib/pec.lua: what the partner-ID and partner earned credit rules share.
---@class lib.pec
lib.pec = {}

---The Associated Partner ID a link must use: partner.associated_partner_id, else partner.id.
---@param state PartnerState
---@return string
function lib.pec.associated_partner_id(state) end

---The entry of the link's onboarded subscriptions for `subscription` (compared
---case-insensitively), or nil.
---@param link PartnerIdLink
---@param subscription string
---@return OnboardedSubscription?
function lib.pec.onboarded(link, subscription) end

---policies/lib/end_dates.lua: the end dates product keys give a subscription, shared by the
---rules and the effects of subscription.extend and subscription.add-licenses.
---@class lib.end_dates
lib.end_dates = {}

---Months of service one product key gives from the day it is redeemed.
lib.end_dates.MONTHS_PER_KEY = 12

---A key of `key` licenses on `active` licenses ending on `ends`: the new end (12 x key / active
---months later), the whole months, the remainder (rest / active of a month) and it as days.
---@param ends DayNumber
---@param key integer
---@param active integer
---@return DayNumber new_end
---@return integer whole
---@return integer rest
---@return integer days
function lib.end_dates.extended(ends, key, active) end

---Calendar months from `from` to `to`: whole months plus the fraction of the next one.
---@param from DayNumber
---@param to DayNumber
---@return number
function lib.end_dates.months_between(from, to) end

---The day `months` calendar months after `from`, the fraction rounded to the nearest day.
---@param from DayNumber
---@param months number
---@return DayNumber
function lib.end_dates.months_after(from, months) end

---The end all licenses share after adding `added` licenses of `per_key` months to `active`
---licenses that run until `ends`; and the months left before and after.
---@param today DayNumber
---@param ends DayNumber
---@param active integer
---@param added integer
---@param per_key integer
---@return DayNumber new_end
---@return number before
---@return number after
function lib.end_dates.averaged(today, ends, active, added, per_key) end

---policies/lib/new_ids.lua: ids for what an action creates (effects), from the state alone.
---@class lib.new_ids
lib.new_ids = {}

---`base` when no element of `list` has that id, else the first free "base-2", "base-3", ...
---@param list table
---@param base string
---@return string
function lib.new_ids.free(list, base) end

---The id of a user added by e-mail: its name part, lower case, made free among the users.
---@param state PartnerState
---@param email string
---@return string
function lib.new_ids.user(state, email) end

---A product key string that no redemption and no benefit of the state holds: "KEY-1", ...
---@param state PartnerState
---@return string
function lib.new_ids.key(state) end

---policies/lib/roles.lua: Partner Center and billing roles in the words of the documents.
---@class lib.roles
lib.roles = {}

---"Billing account owner" for "billing_account_owner"; an unknown role as written.
---@param role string
---@return string
function lib.roles.name(role) end

---"a, b or c" of the roles' names; `none` (default "(no role configured)") for an empty list.
---@param list string[]
---@param none? string
---@return string
function lib.roles.list(list, none) end

---Whether the user holds the Partner Center role.
---@param user User
---@param role UserPartnerCenterRole
---@return boolean
function lib.roles.has_partner_center_role(user, role) end

---The first of `wanted` (in that order) the user holds on billing account `account_id`, or nil.
---@param user User
---@param account_id string?
---@param wanted BillingRoleRole[]
---@return BillingRoleRole?
function lib.roles.billing_role_on(user, account_id, wanted) end

---policies/lib/subscriptions.lua: whether a cloud subscription still runs, and product keys as compared.
---@class lib.subscriptions
lib.subscriptions = {}

---Why the subscription no longer runs on day `as_of`: "disabled", "expired", "ended" (status
---active but the end date is before `as_of`), or nil while it runs.
---@param sub Subscription
---@param as_of integer
---@return "disabled"|"expired"|"ended"|nil
function lib.subscriptions.lapse(sub, as_of) end

---The lapse in words: "subscription S-1 is expired (its end date is 2026-06-01)".
---@param sub Subscription
---@param lapse "disabled"|"expired"|"ended"
---@return string
function lib.subscriptions.lapse_text(sub, lapse) end

---A product key as compared: upper case, letters and digits only.
---@param key string
---@return string
function lib.subscriptions.key_id(key) end

---The first product key of `benefit` not yet redeemed, or nil.
---@param benefit CloudBenefit
---@return ProductKey?
function lib.subscriptions.next_key(benefit) end

---The work partner_admin_verdict judges, in words.
---@class PartnerAdminWork
---@field task string The request, e.g. "activate Azure credit MC-5".
---@field ability string What the role can do, e.g. "activate Azure credits".

---Who may do the work partner_admin_verdict judges.
---@class PartnerAdminSettings
---@field role UserPartnerCenterRole The Partner Center role the work needs (partner_admin).
---@field granting_roles UserPartnerCenterRole[] Roles named in remedies as able to grant it.
---@field also string? The id of a user who may do this work without the role.
---@field also_as string? That user's part, e.g. "the assigned user of credit MC-1".
---@field also_reason string? Why that part may, e.g. "the assigned user finishes a credit's redemption".

---The one decision on who does membership and benefit work (the membership, Azure credits):
---allowed for a holder of `who.role` (or `who.also`); otherwise denied naming who qualifies and
---who can grant the role; with the actor left open, a condition naming who qualifies, or a denial
---when nobody does.
---@param state PartnerState
---@param actor User? req.actor
---@param work PartnerAdminWork
---@param who PartnerAdminSettings
---@return Decision
function lib.roles.partner_admin_verdict(state, actor, work, who) end

---policies/lib/text.lua: small wording helpers shared by rule messages.
---@class lib.text
lib.text = {}

---A user's label in messages: the e-mail.
---@param user User|NewUser
---@return string
function lib.text.user(user) end

---A tenant's label in messages: "T-1 (contoso.onmicrosoft.com)".
---@param tenant Tenant
---@return string
function lib.text.tenant(tenant) end

---"a", "a or b", "a, b or c" (word "or"), "a, b and c" (word "and", the default); `none`
---(default "") for an empty list.
---@param list string[]
---@param word? string
---@param none? string
---@return string
function lib.text.join(list, word, none) end

---"a, b, c" when `list` holds all `total` items, else "a, b, c and 12 more".
---@param list string[]
---@param total integer
---@return string
function lib.text.first_of(list, total) end

---"1 license", "3 licenses".
---@param n number
---@param one string
---@param many? string Default: `one` .. "s".
---@return string
function lib.text.count(n, one, many) end

---"USD 40", "EUR 12.50": whole amounts without decimals, others with two.
---@param amount number
---@param currency? string Default "USD".
---@return string
function lib.text.money(amount, currency) end

---policies/lib/vetting.lua: verification (vetting) statuses in the words of the documents.
---@class lib.vetting
lib.vetting = {}

---"In progress" for "in_progress"; an unknown status as written.
---@param status PartnerVettingStatus|string
---@return string
function lib.vetting.name(status) end
